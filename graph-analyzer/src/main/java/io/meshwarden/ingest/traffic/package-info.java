/**
 * Source: streaming readers for Envoy access logs (JSON, text) and Hubble flows, producing observed flows in constant memory; bad lines are counted with file and line.
 */
package io.meshwarden.ingest.traffic;
