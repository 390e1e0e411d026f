/**
 * The Kubernetes source of the live cluster state (stage: sources). {@link io.meshwarden.watch.ClusterWatch}
 * runs fabric8 SharedInformers whose handlers only hand objects to graph-analyzer's
 * {@link io.meshwarden.index.LiveIndex}; conversion, owner chains and publication happen there.
 */
package io.meshwarden.watch;
