package io.meshwarden.ingest.traffic;

import io.meshwarden.traffic.ObservedFlow;
import java.util.List;

/**
 * When no line of a file parsed, whether another format reads its first bad lines: then the file
 * was most likely read in the wrong format, and the hint says which flag fixes it. Only run for
 * files that yielded nothing, on a handful of lines, with fresh parsers.
 */
final class FormatHint {
  /** Bad lines kept per file to test other formats on. */
  static final int SAMPLES = 3;

  private FormatHint() {}

  /**
   * @param used the format the file was read in, or null when no line looked like any format
   * @return e.g. {@code looks like Hubble JSON; use --flow-format hubble}, or null when no other format reads a line
   */
  static String of(List<byte[]> lines, Format used) {
    for (Format f : List.of(Format.HUBBLE_JSON, Format.ENVOY_JSON, Format.ENVOY_TEXT)) {
      if (f != used && readsAny(f, lines)) {
        return "looks like " + describe(f) + "; use --flow-format " + flag(f);
      }
    }
    return null;
  }

  private static boolean readsAny(Format f, List<byte[]> lines) {
    for (byte[] bytes : lines) {
      LineParser parser = switch (f) {
        case ENVOY_JSON -> new EnvoyJsonParser();
        case ENVOY_TEXT -> new EnvoyTextParser();
        case HUBBLE_JSON -> new HubbleJsonParser();
        case AUTO -> throw new IllegalArgumentException("AUTO is not a format of records");
      };
      Line line = new Line();
      line.buf = bytes;
      line.off = 0;
      line.len = bytes.length;
      line.file = "hint";
      line.number = 1;
      boolean[] flow = {false};
      try {
        parser.parse(line, new RecordSink() {
          @Override
          public void flow(ObservedFlow ignored) {
            flow[0] = true;
          }

          @Override
          public void skip(String reason) {
            // Not proof: a lenient parser may skip a foreign object as "some other event".
          }
        });
      } catch (BadRecord | RuntimeException notThisFormat) {
        continue;
      }
      if (flow[0]) {
        return true;
      }
    }
    return false;
  }

  static String describe(Format f) {
    return switch (f) {
      case ENVOY_JSON -> "an Envoy JSON access log";
      case ENVOY_TEXT -> "an Envoy text access log";
      case HUBBLE_JSON -> "Hubble JSON";
      case AUTO -> "any format";
    };
  }

  static String flag(Format f) {
    return switch (f) {
      case ENVOY_JSON -> "envoy-json";
      case ENVOY_TEXT -> "envoy-text";
      case HUBBLE_JSON -> "hubble";
      case AUTO -> "auto";
    };
  }
}
