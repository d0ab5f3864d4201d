package dev.fc.operator.reconciler;

import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.contract.TerminationMessage;
import java.util.Map;

/**
 * One line saying why an instance ended, for its status, its event and the backoff: the cause first (an
 * out-of-memory kill, the pod's failure, the runtime's exit reason, the kubelet's reason, the exit
 * status), then what the runtime or the kubelet said. Pure.
 */
final class FailureDescription {
  private static final Map<Integer, String> SIGNALS = Map.of(6, "SIGABRT", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

  private FailureDescription() {}

  static String of(ObservedInstance instance) {
    String prefix = "instance " + instance.name() + ": ";
    Termination termination = instance.termination();
    if (termination == null) {
      return prefix + "terminated";
    }
    if (termination.oomKilled()) {
      return prefix + outOfMemory(termination, instance.phase());
    }
    TerminationMessage message = termination.message();
    String cause;
    String detail = detail(message);
    if (termination.podReason() != null) {
      cause = termination.podReason();
      detail = present(termination.podMessage()) ? termination.podMessage().strip() : detail;
    } else if (message.exitReason() != null) {
      cause = message.exitReason();
    } else if (termination.reason() != null) {
      cause = termination.reason() + (termination.exitCode() == null ? "" : " (" + exitStatus(termination) + ")");
    } else if (termination.exitCode() != null) {
      cause = "exited with " + exitStatus(termination);
    } else {
      cause = "terminated";
    }
    return prefix + cause + (detail == null ? "" : ": " + detail);
  }

  private static String outOfMemory(Termination termination, InstancePhase phase) {
    String limit = termination.memoryLimitMiB() == null
        ? "its memory limit"
        : "its memory limit of " + termination.memoryLimitMiB() + " MiB";
    String when = phase == InstancePhase.Retired ? "after it had initialized" : "before it was initialized";
    return Termination.OOM_KILLED + ": killed for exceeding " + limit + " (spec.memorySize) " + when
        + "; raise spec.memorySize";
  }

  private static String exitStatus(Termination termination) {
    int code = termination.exitCode();
    String signal = code > 128 ? SIGNALS.get(code - 128) : null;
    return "exit status " + code + (signal == null ? "" : ", " + signal);
  }

  /** The runtime's line for humans, else the last line of its error; null when there is neither. */
  private static String detail(TerminationMessage message) {
    if (present(message.message())) {
      return message.message().strip();
    }
    if (present(message.error())) {
      return message.error().strip().lines().reduce((a, b) -> b).orElse("");
    }
    return null;
  }

  private static boolean present(String text) {
    return text != null && !text.isBlank();
  }
}
