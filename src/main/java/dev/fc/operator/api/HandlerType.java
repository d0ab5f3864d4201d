package dev.fc.operator.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** How the runtime calls the handler: an event function on {@code POST /invoke}, or a WSGI app on every path. */
public enum HandlerType {
  EVENT("event"),
  HTTP("http");

  private final String value;

  HandlerType(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }

  @JsonCreator
  public static HandlerType fromValue(String value) {
    return Arrays.stream(values())
        .filter(t -> t.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown handlerType \"" + value + "\"; allowed: event, http"));
  }

  @Override
  public String toString() {
    return value;
  }
}
