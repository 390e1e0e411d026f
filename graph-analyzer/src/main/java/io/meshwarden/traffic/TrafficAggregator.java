package io.meshwarden.traffic;

import io.meshwarden.model.Origin;
import io.meshwarden.model.Protocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Resolves observed flows and folds them into edges as they stream past: memory grows with the
 * number of distinct edges, never with the number of flows. Every flow it cannot fully resolve is
 * counted by reason. Not thread-safe; feed it from one thread, then {@link #build}.
 */
public final class TrafficAggregator implements Consumer<ObservedFlow> {
  /** Distinct path templates kept per source, destination and port before the rest are folded together. */
  public static final int DEFAULT_MAX_PATHS_PER_PAIR = 500;
  /** The path template that stands for every path past the per-pair limit. */
  public static final String OTHER_PATHS = "{other}";
  static final String NOT_AGGREGATED = "flow not aggregated: an endpoint has no address or identity";

  private final IdentityResolver resolver;
  private final int maxPathsPerPair;
  private final Map<EdgeKey, Counter> edges = new HashMap<>();
  private final Map<Pair, int[]> pathsPerPair = new HashMap<>();
  private final Map<String, Long> unresolved = new TreeMap<>();
  private long flows;

  public TrafficAggregator(IdentityResolver resolver) {
    this(resolver, DEFAULT_MAX_PATHS_PER_PAIR);
  }

  /**
   * @param maxPathsPerPair bounds the edges that hostile or unusual paths (ids we do not recognise)
   *     can create between two peers on one port
   */
  public TrafficAggregator(IdentityResolver resolver, int maxPathsPerPair) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    if (maxPathsPerPair < 1) {
      throw new IllegalArgumentException("maxPathsPerPair must be positive");
    }
    this.maxPathsPerPair = maxPathsPerPair;
  }

  @Override
  public void accept(ObservedFlow flow) {
    flows++;
    IdentityResolver.Resolution src = resolver.resolve(flow.source());
    IdentityResolver.Resolution dst = resolver.resolve(flow.destination());
    if (!src.isResolved()) {
      unresolved.merge("source: " + src.unresolved(), 1L, Long::sum);
    }
    if (!dst.isResolved()) {
      unresolved.merge("destination: " + dst.unresolved(), 1L, Long::sum);
    }
    if (src.peer() == null || dst.peer() == null) {
      unresolved.merge(NOT_AGGREGATED, 1L, Long::sum);
      return;
    }
    String method = canonicalMethod(flow.httpMethod());
    String path = method == null ? null : PathTemplates.template(flow.httpPath());
    EdgeKey key = new EdgeKey(src.peer(), dst.peer(), flow.protocol(), flow.port(), method, path);
    Counter c = edges.get(key);
    if (c == null) {
      if (method != null && !admitPath(key)) {
        key = new EdgeKey(src.peer(), dst.peer(), flow.protocol(), flow.port(), method, OTHER_PATHS);
        c = edges.get(key);
      }
      if (c == null) {
        c = new Counter(flow.time(), flow.origin());
        edges.put(key, c);
      }
    }
    c.add(flow);
  }

  /**
   * HTTP's own methods as one shared instance each, so that edge keys compare them by reference;
   * any other method is kept as it came.
   */
  public static String canonicalMethod(String method) {
    if (method == null) {
      return null;
    }
    return switch (method) {
      case "GET" -> "GET";
      case "POST" -> "POST";
      case "PUT" -> "PUT";
      case "DELETE" -> "DELETE";
      case "PATCH" -> "PATCH";
      case "HEAD" -> "HEAD";
      case "OPTIONS" -> "OPTIONS";
      case "CONNECT" -> "CONNECT";
      case "TRACE" -> "TRACE";
      default -> method;
    };
  }

  private boolean admitPath(EdgeKey key) {
    int[] n = pathsPerPair.computeIfAbsent(new Pair(key.source(), key.destination(), key.protocol(), key.port()),
        k -> new int[1]);
    if (n[0] >= maxPathsPerPair) {
      return false;
    }
    n[0]++;
    return true;
  }

  public long flows() {
    return flows;
  }

  public int edgeCount() {
    return edges.size();
  }

  /** The edges so far, sorted, with what the reader could not parse. */
  public TrafficModel build(List<String> badRecords, long badRecordCount) {
    return build(badRecords, badRecordCount, List.of());
  }

  /** The edges so far, sorted, with what the reader could not parse and what each input yielded. */
  public TrafficModel build(List<String> badRecords, long badRecordCount, List<InputSummary> inputs) {
    List<ObservedEdge> out = new ArrayList<>(edges.size());
    edges.forEach((k, c) -> out.add(new ObservedEdge(k, c.stats())));
    out.sort((a, b) -> a.key().compareTo(b.key()));
    return new TrafficModel(out, flows, badRecords, badRecordCount, unresolved, inputs);
  }

  public TrafficModel build() {
    return build(List.of(), 0);
  }

  private record Pair(PeerRef source, PeerRef destination, Protocol protocol, int port) {}

  /** Mutable per-edge totals; becomes an {@link EdgeStats} at the end. Times as epoch nanoseconds, to stay flat. */
  private static final class Counter {
    private long count;
    private long bytes;
    private long denied;
    private long first;
    private long last;
    private int observers;
    private final Origin sample;

    Counter(Instant time, Origin sample) {
      this.first = nanos(time);
      this.last = first;
      this.sample = sample;
    }

    private static long nanos(Instant t) {
      return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    void add(ObservedFlow f) {
      count++;
      bytes += f.bytes();
      observers |= 1 << f.observer().ordinal();
      if (f.verdict() == ObservedFlow.Verdict.DENIED) {
        denied++;
      }
      long t = nanos(f.time());
      first = Math.min(first, t);
      last = Math.max(last, t);
    }

    EdgeStats stats() {
      java.util.EnumSet<FlowSource> seenBy = java.util.EnumSet.noneOf(FlowSource.class);
      for (FlowSource s : FlowSource.values()) {
        if ((observers & 1 << s.ordinal()) != 0) {
          seenBy.add(s);
        }
      }
      return new EdgeStats(count, bytes, Instant.ofEpochSecond(0, first), Instant.ofEpochSecond(0, last), denied,
          sample, seenBy);
    }
  }
}
