/**
 * Analysis: who can reach, or be reached from, any namespace or address (np-guard's exposure analysis), and the entry points manifests declare.
 */
package io.meshwarden.exposure;
