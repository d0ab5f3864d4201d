package dev.fc.operator.api;

import java.util.Objects;

/** The replacement backoff after consecutive instance failures; absent when there is none. */
public class BackoffStatus {
  private Integer consecutiveFailures;
  private Long delaySeconds;
  /** RFC 3339: no replacement instance is created before this time. */
  private String notBefore;
  /** What the runtime said about the last failed instance. */
  private String lastFailure;
  /** The last failed instance's phase: InitializerFailed or Retired. */
  private String lastFailurePhase;
  /** The pod template whose instances failed; a new template starts without backoff. */
  private String templateHash;

  public BackoffStatus() {}

  public BackoffStatus(Integer consecutiveFailures, Long delaySeconds, String notBefore, String lastFailure) {
    this.consecutiveFailures = consecutiveFailures;
    this.delaySeconds = delaySeconds;
    this.notBefore = notBefore;
    this.lastFailure = lastFailure;
  }

  public String getLastFailure() {
    return lastFailure;
  }

  public void setLastFailure(String lastFailure) {
    this.lastFailure = lastFailure;
  }

  public String getLastFailurePhase() {
    return lastFailurePhase;
  }

  public void setLastFailurePhase(String lastFailurePhase) {
    this.lastFailurePhase = lastFailurePhase;
  }

  public String getTemplateHash() {
    return templateHash;
  }

  public void setTemplateHash(String templateHash) {
    this.templateHash = templateHash;
  }

  public Integer getConsecutiveFailures() {
    return consecutiveFailures;
  }

  public void setConsecutiveFailures(Integer consecutiveFailures) {
    this.consecutiveFailures = consecutiveFailures;
  }

  public Long getDelaySeconds() {
    return delaySeconds;
  }

  public void setDelaySeconds(Long delaySeconds) {
    this.delaySeconds = delaySeconds;
  }

  public String getNotBefore() {
    return notBefore;
  }

  public void setNotBefore(String notBefore) {
    this.notBefore = notBefore;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackoffStatus b
        && Objects.equals(consecutiveFailures, b.consecutiveFailures)
        && Objects.equals(delaySeconds, b.delaySeconds)
        && Objects.equals(notBefore, b.notBefore)
        && Objects.equals(lastFailure, b.lastFailure)
        && Objects.equals(lastFailurePhase, b.lastFailurePhase)
        && Objects.equals(templateHash, b.templateHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(consecutiveFailures, delaySeconds, notBefore, lastFailure, lastFailurePhase, templateHash);
  }
}
