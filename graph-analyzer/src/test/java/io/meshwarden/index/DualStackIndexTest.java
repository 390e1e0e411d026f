package io.meshwarden.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live index knows both addresses of a dual-stack pod, whichever way an access log spells them. */
class DualStackIndexTest {
  @TempDir Path dir;

  @Test
  void bothFamiliesOfADualStackPodResolve_inEverySpelling() throws Exception {
    Files.writeString(dir.resolve("pod.yaml"), """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec: {containers: [{name: web, image: web}]}
        status:
          phase: Running
          podIP: 10.1.0.4
          podIPs: [{ip: 10.1.0.4}, {ip: "fd00:10:1::4"}]
        """);
    try (LiveIndex index = Fixtures.index(new Fixtures.TestClock())) {
      ManifestSource.load(index, List.of(dir.toString()), "default", new ByteArrayInputStream(new byte[0]));
      ClusterSnapshot s = index.flush().get(10, TimeUnit.SECONDS);
      for (String ip : List.of("10.1.0.4", "fd00:10:1::4", "FD00:10:1:0:0:0:0:4", "::ffff:10.1.0.4")) {
        assertEquals("shop/Pod/web", s.podIps().resolve(ip, null).orElseThrow().workloadId(), ip);
      }
    }
  }
}
