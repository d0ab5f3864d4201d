package dev.fc.operator.gateway;

import dev.fc.operator.api.InstancePhase;

/**
 * One instance (pod) of a function as the gateway routes to it.
 *
 * @param host the pod's IP (or a host name)
 * @param port its invocation port
 * @param ready initialized and passing its readiness probe
 * @param terminating being deleted
 * @param terminatedPhase {@code InitializerFailed} or {@code Retired} once the container ended, else null
 * @param terminationMessage what the instance said when it ended, or null
 */
public record RoutedInstance(String pod, String host, int port, boolean ready, boolean terminating,
    InstancePhase terminatedPhase, String terminationMessage) {

  public static RoutedInstance ready(String pod, String host, int port) {
    return new RoutedInstance(pod, host, port, true, false, null, null);
  }

  public static RoutedInstance starting(String pod, String host, int port) {
    return new RoutedInstance(pod, host, port, false, false, null, null);
  }

  public static RoutedInstance initializerFailed(String pod, String message) {
    return new RoutedInstance(pod, null, 0, false, false, InstancePhase.InitializerFailed, message);
  }

  /** Takes invocations: ready, not going away, not ended. */
  public boolean serving() {
    return ready && !terminating && terminatedPhase == null && host != null;
  }

  /** Counts toward the function's instances: neither ended nor going away. */
  public boolean live() {
    return !terminating && terminatedPhase == null;
  }

  public boolean initializerFailed() {
    return terminatedPhase == InstancePhase.InitializerFailed;
  }

  public String address() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
