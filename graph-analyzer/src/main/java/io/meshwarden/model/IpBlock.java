package io.meshwarden.model;

import java.util.List;
import java.util.Objects;

/** An {@code ipBlock} peer: a CIDR minus exceptions, already validated. */
public record IpBlock(String cidr, List<String> except) {
  public IpBlock {
    Objects.requireNonNull(cidr, "cidr");
    except = List.copyOf(except);
  }
}
