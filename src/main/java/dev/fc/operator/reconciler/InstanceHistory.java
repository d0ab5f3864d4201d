package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.api.InstanceStatus;
import dev.fc.operator.contract.HookStatus;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the operator's previous status recorded of each instance, as evidence for {@link Termination#phase}:
 * an instance once seen Ready (or already found Retired, or with a succeeded Initializer) had been
 * initialized, whatever its termination message says or lacks. Pure.
 */
public record InstanceHistory(Set<String> initializedPods) {
  public static final InstanceHistory NONE = new InstanceHistory(Set.of());

  public static InstanceHistory of(FunctionInstanceStatus previous) {
    if (previous == null || previous.getInstanceStatuses() == null) {
      return NONE;
    }
    return new InstanceHistory(previous.getInstanceStatuses().stream()
        .filter(InstanceHistory::initialized)
        .map(InstanceStatus::getPodName)
        .collect(Collectors.toUnmodifiableSet()));
  }

  public boolean seenInitialized(String podName) {
    return initializedPods.contains(podName);
  }

  private static boolean initialized(InstanceStatus status) {
    return InstancePhase.Ready.name().equals(status.getPhase())
        || InstancePhase.Retired.name().equals(status.getPhase())
        || (status.getInitializer() != null && HookStatus.SUCCEEDED.equals(status.getInitializer().getStatus()));
  }
}
