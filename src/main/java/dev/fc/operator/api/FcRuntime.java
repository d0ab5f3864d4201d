package dev.fc.operator.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** FC's Python runtime names; each maps to a container image through the operator's configuration. */
public enum FcRuntime {
  PYTHON_3_9("python3.9"),
  PYTHON_3_10("python3.10"),
  PYTHON_3_12("python3.12");

  public static final FcRuntime DEFAULT = PYTHON_3_10;

  private final String fcName;

  FcRuntime(String fcName) {
    this.fcName = fcName;
  }

  @JsonValue
  public String fcName() {
    return fcName;
  }

  /** The Python version, e.g. {@code 3.10}, as used in the default image {@code python:3.10-slim}. */
  public String pythonVersion() {
    return fcName.substring("python".length());
  }

  @JsonCreator
  public static FcRuntime fromFcName(String name) {
    return Arrays.stream(values())
        .filter(r -> r.fcName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown runtime \"" + name + "\"; allowed: " + allowed()));
  }

  public static String allowed() {
    return Arrays.stream(values()).map(FcRuntime::fcName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return fcName;
  }
}
