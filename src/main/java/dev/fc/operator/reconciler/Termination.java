package dev.fc.operator.reconciler;

import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.contract.TerminationMessage;
import dev.fc.operator.desired.InstanceContainers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How an instance's container ended, as a real kubelet reports it. Pure.
 *
 * <p>The kubelet reports {@code started: false} and {@code ready: false} for every terminated container,
 * so whether the instance had been initialized is read from what the runtime wrote (its termination
 * message, docs/runtime-contract.md) and from what the operator saw earlier ({@link InstanceHistory}).
 *
 * @param exitCode the container's exit code, or null when the pod failed without a container state
 * @param reason the kubelet's {@code terminated.reason}: {@code OOMKilled}, {@code Error}, {@code Completed},
 *     {@code ContainerCannotRun}, ...; or null
 * @param podReason the pod's {@code status.reason} when the pod failed as a whole ({@code Evicted},
 *     {@code DeadlineExceeded}, {@code OutOfcpu}, ...), or null
 * @param podMessage the pod's {@code status.message} that goes with it, or null
 * @param message what the runtime wrote, or the log's tail; {@link TerminationMessage#NONE} when nothing
 * @param memoryLimitMiB the function container's memory limit, or null when the pod does not say
 */
public record Termination(Integer exitCode, String reason, String podReason, String podMessage,
    TerminationMessage message, Long memoryLimitMiB) {
  public static final String OOM_KILLED = "OOMKilled";
  private static final BigDecimal MIB = BigDecimal.valueOf(1024 * 1024);

  /** The pod's function container ended ({@code terminated} may be null when the pod failed before it ran). */
  static Termination of(Pod pod, ContainerStateTerminated terminated) {
    var status = pod.getStatus();
    String podReason = status == null ? null : status.getReason();
    String podMessage = podReason == null ? null : status.getMessage();
    return new Termination(
        terminated == null ? null : terminated.getExitCode(),
        terminated == null ? null : terminated.getReason(),
        podReason,
        podMessage,
        TerminationMessage.parse(terminated != null ? terminated.getMessage()
            : status == null ? null : status.getMessage()),
        memoryLimitMiB(pod));
  }

  public boolean oomKilled() {
    return OOM_KILLED.equals(reason);
  }

  /**
   * InitializerFailed or Retired. The runtime's own exit reason decides when it is an Initializer's; else
   * the instance retired if the runtime wrote that it had been initialized (it writes so before the
   * startup probe can pass, so a kill after that still leaves it) or the operator had seen it initialized.
   * Anything else (no JSON at all: killed or crashed while loading or initializing) failed to initialize.
   */
  public InstancePhase phase(boolean seenInitialized) {
    if (message.initializerFailed()) {
      return InstancePhase.InitializerFailed;
    }
    return message.saysInitialized() || seenInitialized ? InstancePhase.Retired : InstancePhase.InitializerFailed;
  }

  private static Long memoryLimitMiB(Pod pod) {
    return InstanceContainers.function(pod)
        .map(Container::getResources)
        .map(r -> r.getLimits() == null ? null : r.getLimits().get("memory"))
        .map(Termination::mebibytes)
        .orElse(null);
  }

  private static Long mebibytes(Quantity quantity) {
    try {
      return Quantity.getAmountInBytes(quantity).divide(MIB, RoundingMode.DOWN).longValueExact();
    } catch (RuntimeException notAQuantity) {
      return null;
    }
  }
}
