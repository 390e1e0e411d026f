package io.meshwarden.index;

import io.meshwarden.ingest.manifest.ManifestException;
import io.meshwarden.ingest.manifest.ManifestLoader;
import io.meshwarden.model.Origin;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds a {@link LiveIndex} from manifest files, through the same reader and converters as
 * {@code analyze}. A file that cannot be read (or a document that is no object) fails the whole
 * load before anything is applied; a bad object is a diagnostic on that object.
 */
public final class ManifestSource {
  private ManifestSource() {}

  /** One object read from a file, its conversion still to run. */
  private record Pending(ObjectKey key, Origin origin, ManifestLoader.Conversion conversion) {}

  /** Reads {@code paths} and applies every object; returns how many objects were handed over. */
  public static int load(LiveIndex index, List<String> paths, String defaultNamespace, InputStream stdin)
      throws ManifestException {
    List<Pending> pending = new ArrayList<>();
    new ManifestLoader(false, stdin).defaultNamespace(defaultNamespace).forEachObject(paths,
        (kind, namespace, name, origin, conversion) ->
            pending.add(new Pending(ObjectKey.of(kind, namespace, name), origin, conversion)));
    pending.forEach(p -> index.apply(p.key(), p.origin(), p.conversion()));
    return pending.size();
  }
}
