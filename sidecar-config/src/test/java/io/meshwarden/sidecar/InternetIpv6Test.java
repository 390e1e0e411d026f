package io.meshwarden.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwarden.sidecar.istio.AuthorizationPolicyWriter;
import io.meshwarden.sidecar.listener.EnvoyTranslator;
import io.meshwarden.sidecar.netpol.NetworkPolicyWriter;
import io.meshwarden.sidecar.validate.ResourceValidator;
import io.meshwarden.synthesis.HttpMatch;
import io.meshwarden.synthesis.Peer;
import io.meshwarden.synthesis.PolicySet;
import io.meshwarden.synthesis.WorkloadPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The internet over IPv6 ({@code ::/0}, what synthesis emits where IPv6 clients were seen) in
 * every generated form that writes CIDRs: NetworkPolicy ipBlocks, AuthorizationPolicy ipBlocks,
 * Envoy RBAC CidrRanges, next to {@code 0.0.0.0/0} and not merged into it.
 */
class InternetIpv6Test {
  private static PolicySet dualStackFrontend() {
    HttpMatch get = new HttpMatch("GET", "/", false);
    return Fixtures.policySet(List.of(Fixtures.FRONTEND), List.of(
        Fixtures.from(Peer.cidr("0.0.0.0/0"), Fixtures.FRONTEND, 8080, get),
        Fixtures.from(Peer.cidr("::/0"), Fixtures.FRONTEND, 8080, get)));
  }

  @Test
  void networkPolicy_keepsBothFamilies() {
    String yaml = NetworkPolicyWriter.write(dualStackFrontend());
    assertTrue(yaml.contains("cidr: 0.0.0.0/0"), yaml);
    assertTrue(yaml.contains("cidr: ::/0"), yaml);
  }

  @Test
  void authorizationPolicy_keepsBothFamilies() {
    String yaml = AuthorizationPolicyWriter.write(dualStackFrontend(), false);
    assertTrue(yaml.contains("0.0.0.0/0") && yaml.contains("::/0"), yaml);
  }

  @Test
  void envoyRbac_hasAZeroLengthIpv6Prefix_andValidates() {
    WorkloadPolicy wp = dualStackFrontend().policies().get(0);
    WorkloadResources r = EnvoyTranslator.translate(wp, Mode.ENFORCE, TranslatorOptions.DEFAULTS);
    assertEquals(List.of(), ResourceValidator.validate(r));
    String json = ResourceJson.print(r);
    assertTrue(json.contains("\"addressPrefix\": \"::\""), json);
    assertTrue(json.contains("\"addressPrefix\": \"0.0.0.0\""), json);
  }
}
