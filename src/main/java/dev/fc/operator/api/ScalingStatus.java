package dev.fc.operator.api;

import java.util.Objects;

/**
 * The instance count an elastic FunctionInstance's operator chose, and why (docs/elastic.md, "The decision").
 * Absent when the count is not elastic. Written only when the count changes.
 */
public class ScalingStatus {
  private Integer desiredInstances;
  /** Demand, IdleReclaim, MinInstances or MaxInstances: what set the count. */
  private String reason;
  /** The numbers behind the decision, e.g. "20 invocations at 5 per instance need 4 (bounds 0..10)". */
  private String message;
  /** RFC 3339. */
  private String lastScaleTime;

  public ScalingStatus() {}

  public ScalingStatus(Integer desiredInstances, String reason, String message, String lastScaleTime) {
    this.desiredInstances = desiredInstances;
    this.reason = reason;
    this.message = message;
    this.lastScaleTime = lastScaleTime;
  }

  public Integer getDesiredInstances() {
    return desiredInstances;
  }

  public void setDesiredInstances(Integer desiredInstances) {
    this.desiredInstances = desiredInstances;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastScaleTime() {
    return lastScaleTime;
  }

  public void setLastScaleTime(String lastScaleTime) {
    this.lastScaleTime = lastScaleTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScalingStatus s
        && Objects.equals(desiredInstances, s.desiredInstances)
        && Objects.equals(reason, s.reason)
        && Objects.equals(message, s.message)
        && Objects.equals(lastScaleTime, s.lastScaleTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(desiredInstances, reason, message, lastScaleTime);
  }
}
