package dev.fc.operator.reconciler;

/** One line saying why an instance ended, from its termination message. */
final class FailureDescription {
  private FailureDescription() {}

  static String of(ObservedInstance instance) {
    TerminationMessage message = instance.termination();
    StringBuilder text = new StringBuilder("instance ").append(instance.name());
    if (message != null && message.exitReason() != null) {
      text.append(": ").append(message.exitReason());
    } else if (instance.exitCode() != null) {
      text.append(": exited with status ").append(instance.exitCode());
    } else {
      text.append(": terminated");
    }
    if (message != null && message.message() != null && !message.message().isBlank()) {
      text.append(": ").append(message.message().strip());
    } else if (message != null && message.error() != null && !message.error().isBlank()) {
      text.append(": ").append(message.error().strip().lines().reduce((a, b) -> b).orElse(""));
    }
    return text.toString();
  }
}
