/**
 * Stage: the HTTP API (Vert.x). Health, readiness, Prometheus metrics, the live graph and the
 * findings of the offline analysis run on the live snapshot. Handlers only read immutable values;
 * analysis runs on one worker thread and is cached per cluster and traffic version. Errors are
 * JSON {@code {"error":{"code","message"}}}: 400 for bad input, 404/405 for wrong routes, 503 while
 * not ready; never 500.
 */
package io.meshwarden.api;
