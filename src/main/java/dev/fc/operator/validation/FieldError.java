package dev.fc.operator.validation;

/** One problem with a FunctionInstance: the field's path (e.g. {@code spec.timeout}) and what is allowed. */
public record FieldError(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
