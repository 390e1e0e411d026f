package io.meshwarden.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.sidecar.istio.AuthorizationPolicyWriter;
import io.meshwarden.sidecar.listener.EnvoyTranslator;
import io.meshwarden.sidecar.listener.GrpcTranslator;
import io.meshwarden.sidecar.netpol.NetworkPolicyWriter;
import io.meshwarden.sidecar.validate.ResourceValidator;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files, Istio style: {@code src/test/testdata/NAME-in.yaml} → {@code NAME-out.json} (Envoy,
 * grpc) or {@code NAME-out.yaml} (NetworkPolicy, AuthorizationPolicy). Refresh with
 * {@code -Dmeshwarden.refreshGoldens=true} or {@code REFRESH_GOLDENS=1}.
 */
class GoldenTest {
  private static final Path DIR = Path.of("src/test/testdata");
  private static final boolean REFRESH = Boolean.getBoolean("meshwarden.refreshGoldens")
      || "1".equals(System.getenv("REFRESH_GOLDENS"));

  static Stream<String> cases() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-in.yaml"))
          .map(n -> n.substring(0, n.length() - "-in.yaml".length())).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void translation_matchesGolden(String name) throws IOException {
    PolicySetYaml in = PolicySetYaml.parse(Files.readString(DIR.resolve(name + "-in.yaml")));
    TranslatorOptions options = TranslatorOptions.DEFAULTS.withKubeletCidrs(in.kubeletCidrs());
    String out;
    String ext = ".json";
    switch (in.output()) {
      case "networkpolicy" -> {
        out = NetworkPolicyWriter.write(in.policySet());
        ext = ".yaml";
      }
      case "authorizationpolicy", "authorizationpolicy-dry-run" -> {
        out = AuthorizationPolicyWriter.write(in.policySet(), in.output().endsWith("dry-run"));
        ext = ".yaml";
      }
      default -> {
        boolean grpc = in.output().startsWith("grpc");
        Mode mode = in.output().endsWith("dry-run") ? Mode.DRY_RUN : Mode.ENFORCE;
        StringBuilder sb = new StringBuilder();
        for (WorkloadPolicy wp : in.policySet().policies()) {
          WorkloadResources r = grpc ? GrpcTranslator.translate(wp, mode, options)
              : EnvoyTranslator.translate(wp, mode, options);
          List<String> errors = grpc ? ResourceValidator.validateGrpc(r) : ResourceValidator.validate(r);
          assertTrue(errors.isEmpty(), () -> name + ": " + errors);
          sb.append(ResourceJson.print(r));
        }
        out = sb.toString();
      }
    }
    Path golden = DIR.resolve(name + "-out" + ext);
    if (REFRESH || !Files.exists(golden)) {
      Files.writeString(golden, out, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(golden), out, name + ": differs from " + golden + " (refresh with REFRESH_GOLDENS=1)");
  }
}
