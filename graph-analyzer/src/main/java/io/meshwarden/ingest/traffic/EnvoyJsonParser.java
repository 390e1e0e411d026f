package io.meshwarden.ingest.traffic;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Envoy access logs written with a {@code json_format}: Istio's default JSON keys
 * ({@code start_time}, {@code upstream_cluster}, {@code downstream_remote_address}...), which are
 * also the snake_case names of Envoy's command operators. Numbers may be JSON numbers or strings.
 */
final class EnvoyJsonParser implements LineParser {
  private final JsonLines json = new JsonLines();
  private final EnvoyRecord record = new EnvoyRecord();

  @Override
  public void parse(Line line, RecordSink sink) throws BadRecord {
    record.reset();
    try (JsonParser p = json.open(line)) {
      String name;
      while ((name = p.nextName()) != null) {
        JsonToken t = p.nextToken();
        EnvoyRecord.Field field = EnvoyRecord.field(name);
        if (field == null || !field.usedForFlows()) {
          JsonLines.skip(p, t);
          continue;
        }
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
            && record.setNumber(field, p.getLongValue())) {
          continue;
        }
        String value = JsonLines.scalar(p, t);
        if (value != null) {
          record.set(field, value);
        }
      }
      JsonLines.expectEnd(p);
    } catch (JacksonException e) {
      throw JsonLines.bad(e);
    }
    sink.flow(EnvoyFlows.toFlow(record, line.origin()));
  }
}
