package dev.fc.operator.convert;

import dev.fc.operator.api.FunctionInstance;

/**
 * One converted function: the FunctionInstance, where it came from in the s.yaml (e.g.
 * {@code resources.hello_world}) and the path its name came from.
 */
public record ConvertedFunction(PropPath origin, PropPath namePath, FunctionInstance functionInstance) {
  public String name() {
    return functionInstance.getMetadata().getName();
  }
}
