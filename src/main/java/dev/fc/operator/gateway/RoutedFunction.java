package dev.fc.operator.gateway;

import dev.fc.operator.api.HandlerType;
import java.time.Duration;

/**
 * What the gateway needs of one function to route its invocations.
 *
 * @param uid the FunctionInstance's uid: its pods are controlled by it
 * @param initializerTimeoutSeconds the Initializer's timeout, 0 without an Initializer
 * @param maxInstances the most instances the operator will run for it
 * @param backoff the operator's replacement backoff, or null
 */
public record RoutedFunction(FunctionKey key, String uid, HandlerType handlerType, int instanceConcurrency,
    int timeoutSeconds, int initializerTimeoutSeconds, int maxInstances, InitializerBackoff backoff) {

  public RoutedFunction {
    if (instanceConcurrency < 1) {
      throw new IllegalArgumentException("instanceConcurrency of " + key + " is " + instanceConcurrency
          + "; it must be at least 1");
    }
  }

  /** How long an invocation is held for a free slot: the Initializer's timeout plus the function's. */
  public Duration holdBound() {
    return Duration.ofSeconds((long) initializerTimeoutSeconds + timeoutSeconds);
  }

  /** How long the gateway waits for an instance's answer: the function's timeout plus one second. */
  public Duration upstreamTimeout() {
    return Duration.ofSeconds(timeoutSeconds + 1L);
  }
}
