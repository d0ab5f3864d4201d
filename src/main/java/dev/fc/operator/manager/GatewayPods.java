package dev.fc.operator.manager;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The gateway replicas, found as the chart labels them: the ready pods matching a label selector in one
 * namespace, each as the base URI of its admin port. Only their pods are watched, with a selector, so this costs
 * one small informer.
 */
public final class GatewayPods implements Supplier<Set<URI>>, AutoCloseable {
  private final SharedIndexInformer<Pod> informer;
  private final int adminPort;

  private GatewayPods(SharedIndexInformer<Pod> informer, int adminPort) {
    this.informer = informer;
    this.adminPort = adminPort;
  }

  /** Starts watching; the list is empty until the informer has synced. */
  public static GatewayPods watch(KubernetesClient client, ManagerSettings.Gateways gateways) {
    SharedIndexInformer<Pod> informer = client.pods().inNamespace(gateways.namespace())
        .withLabelSelector(gateways.selector()).inform();
    return new GatewayPods(informer, gateways.adminPort());
  }

  @Override
  public Set<URI> get() {
    return informer.getStore().list().stream()
        .filter(GatewayPods::ready)
        .map(pod -> URI.create("http://" + hostOf(pod.getStatus().getPodIP()) + ":" + adminPort))
        .collect(Collectors.toUnmodifiableSet());
  }

  static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null && pod.getStatus().getPodIP() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String hostOf(String ip) {
    return ip.contains(":") ? "[" + ip + "]" : ip;
  }

  @Override
  public void close() {
    informer.close();
  }
}
