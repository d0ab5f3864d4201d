package dev.fc.operator.api;

import java.util.Objects;

/** One instance (pod) as last observed. */
public class InstanceStatus {
  private String podName;
  /** Pending, Initializing, Ready, InitializerFailed, Retired, Terminating (see {@link InstancePhase}). */
  private String phase;
  private String templateHash;
  private HookOutcome initializer;
  private HookOutcome preStop;
  /** The start's phases as the runtime measured them; known once the container has ended. */
  private ColdStart coldStart;
  private String message;

  public String getPodName() {
    return podName;
  }

  public void setPodName(String podName) {
    this.podName = podName;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getTemplateHash() {
    return templateHash;
  }

  public void setTemplateHash(String templateHash) {
    this.templateHash = templateHash;
  }

  public HookOutcome getInitializer() {
    return initializer;
  }

  public void setInitializer(HookOutcome initializer) {
    this.initializer = initializer;
  }

  public HookOutcome getPreStop() {
    return preStop;
  }

  public void setPreStop(HookOutcome preStop) {
    this.preStop = preStop;
  }

  public ColdStart getColdStart() {
    return coldStart;
  }

  public void setColdStart(ColdStart coldStart) {
    this.coldStart = coldStart;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InstanceStatus s
        && Objects.equals(podName, s.podName)
        && Objects.equals(phase, s.phase)
        && Objects.equals(templateHash, s.templateHash)
        && Objects.equals(initializer, s.initializer)
        && Objects.equals(preStop, s.preStop)
        && Objects.equals(coldStart, s.coldStart)
        && Objects.equals(message, s.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(podName, phase, templateHash, initializer, preStop, coldStart, message);
  }
}
