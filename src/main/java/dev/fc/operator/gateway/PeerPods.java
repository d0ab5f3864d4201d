package dev.fc.operator.gateway;

import dev.fc.operator.elastic.PodAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway replicas, found as the chart labels them: one small informer on the pods matching a label
 * selector in one namespace, whose handler only hands the ready ones ({@link #peersOf}) to the {@link PeerSet}.
 */
public final class PeerPods implements AutoCloseable {
  private final SharedIndexInformer<Pod> informer;

  private PeerPods(SharedIndexInformer<Pod> informer) {
    this.informer = informer;
  }

  /** Starts watching; {@code peers} stays as it is (this replica owns all) until the first pod arrives. */
  public static PeerPods watch(KubernetesClient client, String namespace, String selector, int port, PeerSet peers) {
    Map<String, Pod> pods = new ConcurrentHashMap<>();
    ResourceEventHandler<Pod> events = new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        pods.put(pod.getMetadata().getName(), pod);
        peers.replace(peersOf(pods.values(), port));
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        onAdd(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        pods.remove(pod.getMetadata().getName());
        peers.replace(peersOf(pods.values(), port));
      }
    };
    return new PeerPods(client.pods().inNamespace(namespace).withLabelSelector(selector).inform(events));
  }

  /** The ready, non-terminating pods with an IP, as peers on {@code port}. Pure. */
  static List<Peer> peersOf(Collection<Pod> pods, int port) {
    return pods.stream().filter(PodAddress::serving)
        .map(pod -> Peer.of(pod.getMetadata().getName(), pod.getStatus().getPodIP(), port)).toList();
  }

  public boolean synced() {
    return informer.hasSynced();
  }

  @Override
  public void close() {
    informer.close();
  }
}
