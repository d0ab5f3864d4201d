package dev.fc.operator.reconciler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fc.operator.api.HookOutcome;

/**
 * The JSON the runtime writes at the container's terminationMessagePath (docs/runtime-contract.md).
 * With {@code FallbackToLogsOnError} the kubelet may give the log's tail instead: then only
 * {@link #message} is set, to that text's last line. {@code error} holds a code-loading failure when no
 * Initializer is configured.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TerminationMessage(String exitReason, String message, String error, HookOutcome initializer,
    HookOutcome preStop) {
  public static final String INITIALIZER_FAILED = "InitializerFailed";
  public static final String INITIALIZER_TIMEOUT = "InitializerTimeout";
  private static final ObjectMapper JSON = new ObjectMapper();

  public static TerminationMessage parse(String text) {
    if (text == null || text.isBlank()) {
      return new TerminationMessage(null, null, null, null, null);
    }
    try {
      return JSON.readValue(text, TerminationMessage.class);
    } catch (Exception notJson) {
      String last = text.strip().lines().reduce((a, b) -> b).orElse("");
      return new TerminationMessage(null, last, null, null, null);
    }
  }

  public boolean initializerFailed() {
    return INITIALIZER_FAILED.equals(exitReason) || INITIALIZER_TIMEOUT.equals(exitReason);
  }
}
