package dev.fc.operator.gateway;

import dev.fc.operator.api.InstancePhase;
import java.time.Instant;

/**
 * The operator's replacement backoff of a function ({@code status.backoff}), as far as the gateway uses it.
 *
 * @param notBefore no replacement instance starts before this time
 * @param lastFailure what the runtime said about the last failed instance
 * @param lastFailurePhase that instance's phase ({@code InitializerFailed} or {@code Retired})
 */
public record InitializerBackoff(Instant notBefore, String lastFailure, String lastFailurePhase) {

  /** Whether an Initializer failure keeps the next instance from starting at {@code now}. */
  public boolean blocks(Instant now) {
    return notBefore != null && notBefore.isAfter(now)
        && InstancePhase.InitializerFailed.name().equals(lastFailurePhase);
  }
}
