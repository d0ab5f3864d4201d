package dev.fc.operator.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fc.operator.api.ColdStart;
import dev.fc.operator.api.HookOutcome;

/**
 * The JSON the runtime writes at the container's terminationMessagePath ({@link RuntimePaths#TERMINATION_MESSAGE},
 * docs/runtime-contract.md), read.
 * With {@code FallbackToLogsOnError} the kubelet may give the log's tail instead: then only
 * {@link #message} is set, to that text's last line. {@code error} holds a code-loading failure when no
 * Initializer is configured. A message without {@code exitReason} is the runtime's provisional one: the
 * process was killed before it could write why it ended.
 *
 * @param exitReason an {@link ExitReason}'s text, one this operator does not know yet, or null
 * @param coldStart the phases of the instance's start the runtime measured (null when it did not say)
 * @param initialized what the runtime says: its Initializer succeeded or, with none, its code loaded
 *     (null from a runtime that does not say, or when this is no JSON)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TerminationMessage(String exitReason, String message, String error, HookOutcome initializer,
    HookOutcome preStop, Boolean initialized, ColdStart coldStart) {
  public static final TerminationMessage NONE = new TerminationMessage(null, null, null, null, null, null, null);
  private static final ObjectMapper JSON = new ObjectMapper();

  public static TerminationMessage parse(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    try {
      TerminationMessage message = JSON.readValue(text, TerminationMessage.class);
      return message == null ? NONE : message;
    } catch (Exception notJson) {
      String last = text.strip().lines().reduce((a, b) -> b).orElse("");
      return new TerminationMessage(null, last, null, null, null, null, null);
    }
  }

  public boolean initializerFailed() {
    return ExitReason.INITIALIZER_FAILED.is(exitReason) || ExitReason.INITIALIZER_TIMEOUT.is(exitReason);
  }

  /**
   * The runtime wrote that the instance had been initialized: {@code initialized: true}, or, from a
   * runtime that does not write that field, a succeeded Initializer or a retirement after an invocation.
   */
  public boolean saysInitialized() {
    return Boolean.TRUE.equals(initialized)
        || (initializer != null && HookStatus.SUCCEEDED.equals(initializer.getStatus()))
        || ExitReason.INVOCATION_TIMEOUT.is(exitReason);
  }
}
