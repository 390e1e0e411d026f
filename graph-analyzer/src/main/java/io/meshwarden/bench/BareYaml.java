package io.meshwarden.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The baseline the manifest benchmarks are compared with: snakeyaml-engine loading every document
 * of a file into plain maps and lists (YAML 1.2 core schema), and nothing else. It is the least a
 * program must do to look at the objects of a YAML file.
 */
public final class BareYaml {
  private BareYaml() {}

  /** Loads every document of {@code file}; returns how many were mappings (objects). */
  public static long load(Path file) throws IOException {
    LoadSettings settings = LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).setSchema(new CoreSchema())
        .build();
    long objects = 0;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (Object doc : new Load(settings).loadAllFromReader(r)) {
        if (doc instanceof Map<?, ?>) {
          objects++;
        }
      }
    }
    return objects;
  }
}
