/**
 * Analysis: recorded traffic replayed through a proposed policy, every would-be denial grouped by destination and deciding rule.
 */
package io.meshwarden.dryrun;
