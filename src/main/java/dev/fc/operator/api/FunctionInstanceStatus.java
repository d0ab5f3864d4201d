package dev.fc.operator.api;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator last observed. Written only when it changes. */
public class FunctionInstanceStatus {
  private Long observedGeneration;

  @StatusReplicas
  private Integer instances;

  private Integer readyInstances;

  /** {@code ready/desired}, for {@code kubectl get fi}. */
  private String ready;

  @LabelSelector
  private String selector;

  private List<Condition> conditions = new ArrayList<>();

  private List<InstanceStatus> instanceStatuses = new ArrayList<>();

  private BackoffStatus backoff;

  private ScalingStatus scaling;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getInstances() {
    return instances;
  }

  public void setInstances(Integer instances) {
    this.instances = instances;
  }

  public Integer getReadyInstances() {
    return readyInstances;
  }

  public void setReadyInstances(Integer readyInstances) {
    this.readyInstances = readyInstances;
  }

  public String getReady() {
    return ready;
  }

  public void setReady(String ready) {
    this.ready = ready;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public List<InstanceStatus> getInstanceStatuses() {
    return instanceStatuses;
  }

  public void setInstanceStatuses(List<InstanceStatus> instanceStatuses) {
    this.instanceStatuses = instanceStatuses;
  }

  public BackoffStatus getBackoff() {
    return backoff;
  }

  public void setBackoff(BackoffStatus backoff) {
    this.backoff = backoff;
  }

  public ScalingStatus getScaling() {
    return scaling;
  }

  public void setScaling(ScalingStatus scaling) {
    this.scaling = scaling;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FunctionInstanceStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(instances, s.instances)
        && Objects.equals(readyInstances, s.readyInstances)
        && Objects.equals(ready, s.ready)
        && Objects.equals(selector, s.selector)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(instanceStatuses, s.instanceStatuses)
        && Objects.equals(backoff, s.backoff)
        && Objects.equals(scaling, s.scaling);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, instances, readyInstances, ready, selector, conditions, instanceStatuses, backoff, scaling);
  }
}
