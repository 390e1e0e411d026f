package io.meshwarden.ingest.manifest;

import io.meshwarden.model.Origin;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Binds parsed documents to fabric8's model classes, turning binding errors into located ones. */
final class TypedObjects {
  private final JsonMapper mapper = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  <T> T bind(Map<String, Object> document, Class<T> type, Origin origin) throws ManifestException {
    try {
      return mapper.convertValue(document, type);
    } catch (RuntimeException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      int nl = msg.indexOf('\n');
      throw new ManifestException(origin, "cannot read " + type.getSimpleName() + ": "
          + (nl < 0 ? msg : msg.substring(0, nl)), e);
    }
  }
}
