/**
 * The meshwarden executable: {@code Main} wires streams and exit codes; commands live in {@code io.meshwarden.cli}.
 */
package io.meshwarden;
