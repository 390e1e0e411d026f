package io.meshwarden.demo.workloads;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The simulated pods' outbound calls: one channel per (caller, callee) pair, each connecting from
 * the caller's pod address, made once at start for the pairs the call graph (and the intruder)
 * uses. Thread-safe after construction; {@link #close} shuts the channels down.
 */
final class Callers implements AutoCloseable {
  private static final long DEADLINE_MILLIS = 5_000;

  private final Map<String, ManagedChannel> channels;

  Callers(DemoPlan plan, Transport transport) {
    Map<String, ManagedChannel> m = new HashMap<>();
    DemoPod load = plan.pod(OnlineBoutique.LOAD_GENERATOR).orElseThrow();
    DemoPod frontend = plan.pod(OnlineBoutique.FRONTEND).orElseThrow();
    m.put(key(load.workload(), frontend.workload()), transport.channel(load, frontend));
    for (OnlineBoutique.Service s : plan.services()) {
      DemoPod from = plan.pod(s.workload()).orElseThrow();
      for (var calls : s.methods().values()) {
        for (OnlineBoutique.Call c : calls) {
          m.computeIfAbsent(key(s.workload(), c.callee()), k -> transport.channel(from, plan.pod(c.callee()).orElseThrow()));
        }
      }
    }
    plan.pod(OnlineBoutique.INTRUSION.callee()).ifPresent(payment ->
        m.computeIfAbsent(key(frontend.workload(), payment.workload()), k -> transport.channel(frontend, payment)));
    this.channels = Map.copyOf(m);
  }

  private static String key(String from, String to) {
    return from + "->" + to;
  }

  /** Calls {@code call} as {@code from}; the call's status (OK when it answered). */
  Status call(String from, OnlineBoutique.Call call) {
    ManagedChannel ch = channels.get(key(from, call.callee()));
    if (ch == null) {
      return Status.FAILED_PRECONDITION.withDescription(from + " has no channel to " + call.callee());
    }
    try {
      ClientCalls.blockingUnaryCall(ch, RawBytes.unary(call.method()),
          CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS),
          from.getBytes(StandardCharsets.UTF_8));
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
