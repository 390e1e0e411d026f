/**
 * State: the immutable cluster model (workloads, namespaces, services, policies, mesh objects) that every analysis reads. Records only; no fabric8 type crosses into it.
 */
package io.meshwarden.model;
