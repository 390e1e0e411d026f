/**
 * Analysis: one detector per finding rule (MW101-MW106) over the model, connectivity, traffic and graph. Detectors are pure functions.
 */
package io.meshwarden.finding;
