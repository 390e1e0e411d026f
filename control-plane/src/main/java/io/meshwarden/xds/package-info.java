/**
 * Stage: the ADS server (java-control-plane's {@code V3DiscoveryServer} over a {@code SimpleCache}).
 * Until the first cluster state is loaded it refuses streams; after that every node group gets the
 * observe-mode snapshot. Pushing proposals and approved policy is the next stage's work.
 */
package io.meshwarden.xds;
