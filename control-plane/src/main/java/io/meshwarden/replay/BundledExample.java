package io.meshwarden.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Online Boutique example the demo runs on: its manifests (with the upstream NetworkPolicies),
 * its EndpointSlices and an hour of recorded inbound access logs. Read from the repository when
 * run from a checkout (so findings name the repository's files and lines), else from the copy
 * inside the jar, unpacked once into the state directory.
 */
public record BundledExample(Path root, List<String> manifests, String flows, boolean fromJar) {
  static final String IN_REPO = "manifests/examples/online-boutique";
  private static final String IN_JAR = "/demo/online-boutique/";
  static final List<String> FILES = List.of("derived/kustomize-base+network-policies.rendered.yaml",
      "flows/endpointslices.yaml", "flows/envoy-inbound-access-log.jsonl");

  public BundledExample {
    manifests = List.copyOf(manifests);
  }

  /** The checkout's copy under {@code cwd} when complete, else the jar's unpacked under {@code unpackInto}. */
  public static BundledExample locate(Path cwd, Path unpackInto) throws IOException {
    Path repo = cwd.resolve(IN_REPO);
    if (FILES.stream().allMatch(f -> Files.isRegularFile(repo.resolve(f)))) {
      return of(repo, false);
    }
    Path root = unpackInto.resolve("online-boutique");
    for (String f : FILES) {
      Path target = root.resolve(f);
      Files.createDirectories(target.getParent());
      try (InputStream in = BundledExample.class.getResourceAsStream(IN_JAR + f)) {
        if (in == null) {
          throw new IOException("the jar holds no " + IN_JAR + f + " and " + repo + " is not there: rebuild the jar");
        }
        Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return of(root, true);
  }

  private static BundledExample of(Path root, boolean fromJar) {
    return new BundledExample(root, List.of(root.resolve(FILES.get(0)).toString(), root.resolve(FILES.get(1)).toString()),
        root.resolve(FILES.get(2)).toString(), fromJar);
  }
}
