package dev.fc.operator.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * FC's runtime names. The Python ones run the operator's Python runtime in their image, the Node.js ones its
 * Node.js runtime; the custom ones run the
 * user's HTTP server behind the adapter (docs/runtime-contract.md, "Custom containers"): {@code custom.debian12}
 * the user's command in a stock Debian 12 image, {@code custom-container} the user's own image.
 */
public enum FcRuntime {
  PYTHON_3_9("python3.9"),
  PYTHON_3_10("python3.10"),
  PYTHON_3_12("python3.12"),
  NODEJS_18("nodejs18"),
  NODEJS_20("nodejs20"),
  CUSTOM_DEBIAN12("custom.debian12"),
  CUSTOM_CONTAINER("custom-container");

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
    if (!python()) {
      throw new IllegalStateException(fcName + " is not a Python runtime");
    }
    return fcName.substring("python".length());
  }

  /** The Node.js major version, e.g. {@code 20}, as used in the default image {@code node:20-slim}. */
  public String nodeVersion() {
    if (!node()) {
      throw new IllegalStateException(fcName + " is not a Node.js runtime");
    }
    return fcName.substring("nodejs".length());
  }

  /** Runs the operator's Python runtime, the user's code a Python handler. */
  public boolean python() {
    return fcName.startsWith("python");
  }

  /** Runs the operator's Node.js runtime, the user's code a Node.js handler. */
  public boolean node() {
    return fcName.startsWith("nodejs");
  }

  /** The user's code is a handler the operator's runtime loads (Python or Node.js), not a server of its own. */
  public boolean loadsHandler() {
    return python() || node();
  }

  /** Runs the user's HTTP server (FC's HTTP contract) behind the adapter. */
  public boolean custom() {
    return !loadsHandler();
  }

  /** The file names a handler {@code file.method} may be in, in the order the runtime tries them. */
  public List<String> handlerFiles(String file) {
    if (python()) {
      return List.of(file + ".py");
    }
    if (node()) {
      return List.of(file + ".js", file + ".mjs", file + ".cjs");
    }
    return List.of();
  }

  /** Whether the operator's configuration chooses this runtime's image; a custom container brings its own. */
  public boolean hasRuntimeImage() {
    return this != CUSTOM_CONTAINER;
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
