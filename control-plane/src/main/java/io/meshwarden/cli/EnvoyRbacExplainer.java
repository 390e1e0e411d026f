package io.meshwarden.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.meshwarden.sidecar.ResourceJson;
import io.meshwarden.sidecar.rbac.eval.FilterDecision;
import io.meshwarden.sidecar.rbac.eval.InboundEvaluator;
import io.meshwarden.sidecar.rbac.eval.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides a request against generated Envoy resources ({@code meshwarden generate -o envoy}
 * output): the destination workload's inbound listener, through our RBAC evaluator.
 */
final class EnvoyRbacExplainer {
  private EnvoyRbacExplainer() {}

  /** Thrown when the file is not generate's Envoy output or lacks the workload. */
  static final class BadResources extends Exception {
    private static final long serialVersionUID = 1L;

    BadResources(String message) {
      super(message);
    }
  }

  static FilterDecision decide(Path resources, String workloadId, Request request) throws BadResources {
    JsonNode root;
    try {
      root = JsonMapper.builder().build().readTree(Files.readString(resources));
    } catch (IOException | RuntimeException e) {
      throw new BadResources(resources + ": not JSON: " + e.getMessage());
    }
    if (!root.isArray()) {
      throw new BadResources(resources + ": expected the JSON array `meshwarden generate -o envoy` writes");
    }
    for (JsonNode w : root) {
      if (!workloadId.equals(w.path("workload").asString(""))) {
        continue;
      }
      JsonNode listeners = w.path("listeners");
      if (!listeners.isArray() || listeners.isEmpty()) {
        throw new BadResources(resources + ": " + workloadId + " has no listener");
      }
      Listener.Builder b = Listener.newBuilder();
      try {
        JsonFormat.parser().usingTypeRegistry(ResourceJson.typeRegistry()).merge(listeners.get(0).toString(), b);
      } catch (InvalidProtocolBufferException e) {
        throw new BadResources(resources + ": listener of " + workloadId + " is not a valid Listener: " + e.getMessage());
      }
      return InboundEvaluator.of(b.build()).decide(request);
    }
    throw new BadResources(resources + ": no resources for " + workloadId);
  }
}
