package dev.fc.operator.manager;

import dev.fc.operator.elastic.PodAddress;
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
        .filter(PodAddress::serving)
        .map(pod -> URI.create("http://" + PodAddress.authority(pod.getStatus().getPodIP(), adminPort)))
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void close() {
    informer.close();
  }
}
