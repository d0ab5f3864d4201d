package dev.fc.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * The phases of one instance's cold start, as its runtime measured them (milliseconds); a phase not reached,
 * or not yet known, is absent. The runtime reports them in its termination message, so they are known once
 * the instance's container has ended.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class ColdStart {
  @JsonPropertyDescription("Container process start to the Initializer's start (code loading included after it).")
  private Long initializerStartMs;
  @JsonPropertyDescription("The Initializer's duration, loading the code included.")
  private Long initializerMs;
  @JsonPropertyDescription("The Initializer's end to the kubelet's first successful readiness probe (Ready).")
  private Long readyAfterInitializerMs;

  public ColdStart() {}

  public ColdStart(Long initializerStartMs, Long initializerMs, Long readyAfterInitializerMs) {
    this.initializerStartMs = initializerStartMs;
    this.initializerMs = initializerMs;
    this.readyAfterInitializerMs = readyAfterInitializerMs;
  }

  public Long getInitializerStartMs() {
    return initializerStartMs;
  }

  public void setInitializerStartMs(Long initializerStartMs) {
    this.initializerStartMs = initializerStartMs;
  }

  public Long getInitializerMs() {
    return initializerMs;
  }

  public void setInitializerMs(Long initializerMs) {
    this.initializerMs = initializerMs;
  }

  public Long getReadyAfterInitializerMs() {
    return readyAfterInitializerMs;
  }

  public void setReadyAfterInitializerMs(Long readyAfterInitializerMs) {
    this.readyAfterInitializerMs = readyAfterInitializerMs;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ColdStart c
        && Objects.equals(initializerStartMs, c.initializerStartMs)
        && Objects.equals(initializerMs, c.initializerMs)
        && Objects.equals(readyAfterInitializerMs, c.readyAfterInitializerMs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(initializerStartMs, initializerMs, readyAfterInitializerMs);
  }
}
