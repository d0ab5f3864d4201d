package dev.fc.operator.elastic;

import io.fabric8.kubernetes.api.model.Pod;

/** How the gateway replicas and the instances are reached: which pods serve, and their {@code host:port}. Pure. */
public final class PodAddress {
  private PodAddress() {}

  /** Ready, not terminating, with an IP: a pod that takes requests. */
  public static boolean serving(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null && pod.getStatus().getPodIP() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** {@code host:port}, or {@code [host]:port} for an IPv6 address. */
  public static String authority(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
