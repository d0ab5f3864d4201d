package dev.fc.operator.gateway;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Tells the directory when an initializing instance's Initializer has succeeded, before its pod is Ready
 * (docs/gateway.md, "Routing as soon as the Initializer ends"). {@link InitializerWatch} asks the instance itself;
 * the directory's tests answer for it.
 */
public interface StartupWatch {
  /** Never tells: instances take invocations once their pod is Ready. */
  StartupWatch NONE = (pod, endpoint, within, stillWaiting, initialized) -> () -> {};

  /**
   * Starts watching one instance, without blocking.
   *
   * @param pod the instance's pod, for the logs
   * @param within how long to keep asking
   * @param stillWaiting false once the answer no longer matters (the pod went away, is Ready, or ended): stop
   * @param initialized run once, when the instance answered that its Initializer succeeded
   * @return cancels the watch; a no-op once it ended
   */
  Runnable watch(String pod, StartupEndpoint endpoint, Duration within, BooleanSupplier stillWaiting,
      Runnable initialized);
}
