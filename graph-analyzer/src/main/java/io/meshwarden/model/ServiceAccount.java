package io.meshwarden.model;

/** A declared service account. */
public record ServiceAccount(String namespace, String name, Origin origin) {}
