package io.meshwarden.watch;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The informer's cache of Nodes, keeping of each only what ClusterNetworkPolicy {@code nodes}
 * peers read (labels, {@code status.addresses}) and what the informer needs (uid, resource
 * version). A Node carries its images, conditions and capacity, tens of kilobytes each in a large
 * cluster, none of which policy reads.
 */
final class NodeStore implements ItemStore<Node> {
  private final ConcurrentHashMap<String, Node> items = new ConcurrentHashMap<>();

  static Node trimmed(Node node) {
    List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
        : node.getStatus().getAddresses().stream()
            .map(a -> new NodeAddress(a.getAddress(), a.getType())).toList();
    return new NodeBuilder().withApiVersion("v1").withKind("Node").withNewMetadata()
        .withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid())
        .withResourceVersion(node.getMetadata().getResourceVersion()).withLabels(node.getMetadata().getLabels())
        .endMetadata().withNewStatus().withAddresses(addresses).endStatus().build();
  }

  @Override
  public String getKey(Node node) {
    return Cache.metaNamespaceKeyFunc(node);
  }

  @Override
  public Node put(String key, Node node) {
    return items.put(key, trimmed(node));
  }

  @Override
  public Node remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<Node> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public Node get(String key) {
    return items.get(key);
  }
}
