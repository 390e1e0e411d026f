package io.meshwarden.model;

/** A port given by number or by name, as Kubernetes IntOrString port fields are. */
public record PortRef(int number, String name) {
  public static PortRef of(int number) {
    return new PortRef(number, null);
  }

  public static PortRef named(String name) {
    return new PortRef(0, name);
  }

  public boolean isNamed() {
    return name != null;
  }

  @Override
  public String toString() {
    return isNamed() ? name : Integer.toString(number);
  }
}
