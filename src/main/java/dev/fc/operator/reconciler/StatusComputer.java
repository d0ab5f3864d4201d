package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.HookOutcome;
import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.api.InstanceStatus;
import dev.fc.operator.api.SpecDefaults;
import dev.fc.operator.desired.DesiredState;
import dev.fc.operator.desired.HooksConfigured;
import dev.fc.operator.contract.TerminationMessage;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.validation.FieldError;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The FunctionInstance's status from what was observed and planned. Pure; equal inputs give an equal
 * status, so an unchanged world writes nothing.
 *
 * <p>Ready condition reasons (the STATUS column): {@code Ready}, {@code Initializing},
 * {@code InitializerFailed} or {@code Retired} (by the phase of the last failed instance), {@code InvalidSpec}.
 * Progressing: {@code RollingOut}, {@code Replacing}, {@code Scaling} (True) or {@code Stable},
 * {@code InvalidSpec} (False).
 */
public final class StatusComputer {
  public static final String REASON_READY = "Ready";
  public static final String REASON_INITIALIZING = "Initializing";
  /** The Ready condition's reason (status API), not the runtime's exit reason: timeouts and crashes too. */
  public static final String REASON_INITIALIZER_FAILED = "InitializerFailed";
  public static final String REASON_RETIRED = "Retired";
  public static final String REASON_INVALID_SPEC = "InvalidSpec";
  public static final String REASON_ROLLING_OUT = "RollingOut";
  public static final String REASON_REPLACING = "Replacing";
  public static final String REASON_SCALING = "Scaling";
  public static final String REASON_STABLE = "Stable";

  private StatusComputer() {}

  /**
   * @param previous the latest status written, or null
   * @param target the desired state: how many instances, of which template, with which hooks (for the
   *     per-instance outcomes)
   * @param instances the instances after the plan was carried out (deleted ones terminating, new ones pending)
   * @param backoff the replacement backoff after the plan
   */
  public static FunctionInstanceStatus compute(FunctionInstance fi, FunctionInstanceStatus previous,
      DesiredState target, List<ObservedInstance> instances, Backoff backoff, Instant now) {
    int desired = target.instances();
    String currentHash = target.templateHash();
    long generation = fi.getMetadata().getGeneration() == null ? 0 : fi.getMetadata().getGeneration();
    List<ObservedInstance> live = instances.stream().filter(ObservedInstance::live).toList();
    int ready = (int) live.stream().filter(ObservedInstance::ready).count();
    boolean rolling = live.stream().anyMatch(i -> !currentHash.equals(i.templateHash()));
    // replacing while a failed instance is there or its replacement is not ready yet; not once all are ready
    boolean replacing = instances.stream().anyMatch(ObservedInstance::terminated)
        || (backoff.consecutiveFailures() > 0 && ready < desired);

    Condition readyCondition;
    if (ready >= desired) {
      readyCondition = Conditions.of(Conditions.READY, true, REASON_READY, ready + "/" + desired + " instances ready",
          generation);
    } else if (backoff.consecutiveFailures() > 0) {
      readyCondition = Conditions.of(Conditions.READY, false,
          InstancePhase.Retired == backoff.lastFailurePhase() ? REASON_RETIRED : REASON_INITIALIZER_FAILED,
          ready + "/" + desired + " instances ready; " + backoff.consecutiveFailures()
              + " consecutive failure(s), last: " + backoff.lastFailure(), generation);
    } else {
      readyCondition = Conditions.of(Conditions.READY, false, REASON_INITIALIZING,
          ready + "/" + desired + " instances ready", generation);
    }
    Condition progressing;
    if (rolling) {
      long updated = live.stream().filter(i -> currentHash.equals(i.templateHash())).count();
      progressing = Conditions.of(Conditions.PROGRESSING, true, REASON_ROLLING_OUT,
          "rolling out template " + currentHash + ": " + updated + "/" + desired + " instances updated", generation);
    } else if (replacing) {
      progressing = Conditions.of(Conditions.PROGRESSING, true, REASON_REPLACING,
          "replacing failed instances" + (backoff.notBefore() == null ? "" : ", next not before " + backoff.notBefore()),
          generation);
    } else if (live.size() != desired) {
      progressing = Conditions.of(Conditions.PROGRESSING, true, REASON_SCALING,
          "scaling from " + live.size() + " to " + desired + " instances", generation);
    } else {
      progressing = Conditions.of(Conditions.PROGRESSING, false, REASON_STABLE,
          desired + " instances of template " + currentHash, generation);
    }
    FunctionInstanceStatus status = base(fi, desired, live.size(), ready, instances, target.hooks());
    status.setBackoff(backoff.toStatus());
    status.setConditions(Conditions.merge(conditions(previous), List.of(readyCondition, progressing), now));
    return status;
  }

  /**
   * The status of a FunctionInstance whose spec is invalid: pods are observed but left alone. The desired
   * count in {@code ready} is what the spec asks for, {@link SpecDefaults#INSTANCES} when it does not say,
   * as for a valid spec.
   */
  public static FunctionInstanceStatus invalid(FunctionInstance fi, FunctionInstanceStatus previous,
      List<FieldError> errors, List<ObservedInstance> instances, Instant now) {
    int desired = SpecDefaults.instances(fi.getSpec());
    long generation = fi.getMetadata().getGeneration() == null ? 0 : fi.getMetadata().getGeneration();
    String message = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    List<ObservedInstance> live = instances.stream().filter(ObservedInstance::live).toList();
    int ready = (int) live.stream().filter(ObservedInstance::ready).count();
    FunctionInstanceStatus status = base(fi, desired, live.size(), ready, instances, HooksConfigured.NONE);
    status.setBackoff(previous == null ? null : previous.getBackoff());
    status.setConditions(Conditions.merge(conditions(previous), List.of(
        Conditions.of(Conditions.READY, false, REASON_INVALID_SPEC, message, generation),
        Conditions.of(Conditions.PROGRESSING, false, REASON_INVALID_SPEC,
            "no instance is created or deleted until the spec is fixed", generation)), now));
    return status;
  }

  private static FunctionInstanceStatus base(FunctionInstance fi, int desired, int live, int ready,
      List<ObservedInstance> instances, HooksConfigured hooks) {
    FunctionInstanceStatus status = new FunctionInstanceStatus();
    status.setObservedGeneration(fi.getMetadata().getGeneration());
    status.setInstances(live);
    status.setReadyInstances(ready);
    status.setReady(ready + "/" + desired);
    status.setSelector(Labels.instanceSelectorString(fi.getMetadata().getName()));
    List<InstanceStatus> perInstance = new ArrayList<>();
    instances.stream().sorted(Comparator.comparing(ObservedInstance::name))
        .forEach(instance -> perInstance.add(instanceStatus(instance, hooks)));
    status.setInstanceStatuses(perInstance);
    return status;
  }

  private static InstanceStatus instanceStatus(ObservedInstance instance, HooksConfigured hooks) {
    InstanceStatus status = new InstanceStatus();
    status.setPodName(instance.name());
    status.setPhase(instance.phase().name());
    status.setTemplateHash(instance.templateHash());
    TerminationMessage message = instance.terminationMessage();
    if (message != null) {
      status.setInitializer(message.initializer());
      status.setPreStop(message.preStop());
      status.setColdStart(message.coldStart());
      if (instance.terminated()) {
        status.setMessage(FailureDescription.of(instance));
      }
    }
    if (status.getInitializer() == null && hooks.initializer() && instance.phase() == InstancePhase.Ready) {
      status.setInitializer(new HookOutcome("succeeded", null, null));
    }
    return status;
  }

  private static List<Condition> conditions(FunctionInstanceStatus previous) {
    return previous == null ? List.of() : previous.getConditions();
  }
}
