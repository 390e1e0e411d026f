/**
 * Source: Envoy's gRPC access log service ({@code envoy.service.accesslog.v3.AccessLogService}).
 * A stream's first message names its node; every HTTP and TCP entry of the stream becomes an
 * {@link io.meshwarden.aggregate.Observation} bound to that node and goes to the aggregator's
 * queue. Decoding runs on the gRPC threads; checking and aggregating on the aggregator's one.
 */
package io.meshwarden.als;
