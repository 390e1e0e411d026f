/**
 * Analysis: the communication graph (JGraphT), one node per workload and external peer, edges tagged allowed, observed or both, and its exports' input.
 */
package io.meshwarden.graph;
