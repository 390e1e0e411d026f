package io.meshwarden.watch;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The informer's cache of CustomResourceDefinitions, keeping of each only what the watch reads
 * (name, group, versions and whether they are served) and what the informer needs (uid, resource
 * version). A definition carries its whole OpenAPI schema, hundreds of kilobytes for some of
 * Istio's, and a cluster has many definitions meshwarden never reads.
 */
final class DefinitionStore implements ItemStore<CustomResourceDefinition> {
  private final ConcurrentHashMap<String, CustomResourceDefinition> items = new ConcurrentHashMap<>();

  static CustomResourceDefinition trimmed(CustomResourceDefinition crd) {
    CustomResourceDefinitionBuilder b = new CustomResourceDefinitionBuilder().withApiVersion(crd.getApiVersion())
        .withKind(crd.getKind()).withNewMetadata().withName(crd.getMetadata().getName())
        .withUid(crd.getMetadata().getUid()).withResourceVersion(crd.getMetadata().getResourceVersion())
        .endMetadata();
    if (crd.getSpec() != null) {
      List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions() == null ? List.of()
          : crd.getSpec().getVersions().stream().map(v -> new CustomResourceDefinitionVersionBuilder()
              .withName(v.getName()).withServed(v.getServed()).build()).toList();
      b.withNewSpec().withGroup(crd.getSpec().getGroup()).withScope(crd.getSpec().getScope())
          .withVersions(versions).endSpec();
    }
    return b.build();
  }

  @Override
  public String getKey(CustomResourceDefinition crd) {
    return Cache.metaNamespaceKeyFunc(crd);
  }

  @Override
  public CustomResourceDefinition put(String key, CustomResourceDefinition crd) {
    return items.put(key, trimmed(crd));
  }

  @Override
  public CustomResourceDefinition remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<CustomResourceDefinition> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public CustomResourceDefinition get(String key) {
    return items.get(key);
  }
}
