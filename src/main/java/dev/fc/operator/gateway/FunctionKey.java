package dev.fc.operator.gateway;

/** A function's identity: its FunctionInstance's namespace and name. */
public record FunctionKey(String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
