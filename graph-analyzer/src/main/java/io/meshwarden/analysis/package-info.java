/**
 * The offline pipeline: connectivity, graph and findings in one call, and the report value it produces.
 */
package io.meshwarden.analysis;
