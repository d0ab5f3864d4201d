package dev.fc.operator.gateway;

import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.elastic.PodAddress;

/**
 * One instance (pod) of a function as the gateway routes to it.
 *
 * @param host the pod's IP (or a host name)
 * @param port its invocation port
 * @param ready initialized and passing its readiness probe
 * @param terminating being deleted
 * @param terminatedPhase {@code InitializerFailed} or {@code Retired} once the container ended, else null
 * @param terminationMessage what the instance said when it ended, or null
 * @param startup while its container runs and it is not ready yet: where to ask whether its Initializer ended
 *     (docs/gateway.md, "Routing as soon as the Initializer ends"); null otherwise, or when the pod carries no
 *     lifecycle token
 */
public record RoutedInstance(String pod, String host, int port, boolean ready, boolean terminating,
    InstancePhase terminatedPhase, String terminationMessage, StartupEndpoint startup) {

  public static RoutedInstance ready(String pod, String host, int port) {
    return new RoutedInstance(pod, host, port, true, false, null, null, null);
  }

  public static RoutedInstance starting(String pod, String host, int port) {
    return new RoutedInstance(pod, host, port, false, false, null, null, null);
  }

  /** Running, its Initializer not known to have ended; {@code startup} tells when it does. */
  public static RoutedInstance initializing(String pod, String host, int port, StartupEndpoint startup) {
    return new RoutedInstance(pod, host, port, false, false, null, null, startup);
  }

  public static RoutedInstance initializerFailed(String pod, String message) {
    return new RoutedInstance(pod, null, 0, false, false, InstancePhase.InitializerFailed, message, null);
  }

  /** Not ready yet, but its {@link #startup} can be asked whether the Initializer ended. */
  public boolean initializing() {
    return !ready && live() && host != null && startup != null;
  }

  /** Takes invocations: ready, not going away, not ended. */
  public boolean serving() {
    return ready && !terminating && terminatedPhase == null && host != null;
  }

  /**
   * Takes invocations, given whether its Initializer is known to have succeeded before the pod's Ready condition
   * said so: serving, or that early mark while it is not going away nor ended.
   */
  public boolean serving(boolean initializerSucceeded) {
    return serving() || (initializerSucceeded && live() && host != null);
  }

  /** Counts toward the function's instances: neither ended nor going away. */
  public boolean live() {
    return !terminating && terminatedPhase == null;
  }

  public boolean initializerFailed() {
    return terminatedPhase == InstancePhase.InitializerFailed;
  }

  public String address() {
    return PodAddress.authority(host, port);
  }
}
