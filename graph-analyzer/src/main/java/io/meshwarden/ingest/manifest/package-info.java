/**
 * Source: Kubernetes manifests (files, directories, stdin) into the model, keeping file and line for every object. Conversions here are the ones the live watch will reuse.
 */
package io.meshwarden.ingest.manifest;
