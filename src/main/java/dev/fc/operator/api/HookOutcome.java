package dev.fc.operator.api;

import java.util.Objects;

/** What the runtime reported about one hook run: status (succeeded, failed, timeout, skipped), duration, error. */
public class HookOutcome {
  private String status;
  private Long durationMs;
  private String error;

  public HookOutcome() {}

  public HookOutcome(String status, Long durationMs, String error) {
    this.status = status;
    this.durationMs = durationMs;
    this.error = error;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public Long getDurationMs() {
    return durationMs;
  }

  public void setDurationMs(Long durationMs) {
    this.durationMs = durationMs;
  }

  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HookOutcome h
        && Objects.equals(status, h.status)
        && Objects.equals(durationMs, h.durationMs)
        && Objects.equals(error, h.error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, durationMs, error);
  }
}
