package dev.fc.operator.kube.bench;

import dev.fc.operator.kube.KubeTier;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The namespaces of one run: created fresh, counted cheaply, deleted at the end and waited for. */
final class Namespaces implements AutoCloseable {
  private static final ResourceDefinitionContext ENDPOINT_SLICES = new ResourceDefinitionContext.Builder()
      .withGroup("discovery.k8s.io").withVersion("v1beta1").withKind("EndpointSlice").withPlural("endpointslices")
      .withNamespaced(true).build();

  private final KubeTier tier;
  private final List<String> created = new ArrayList<>();
  private final Duration deadline;

  Namespaces(KubeTier tier, Duration deadline) {
    this.tier = tier;
    this.deadline = deadline;
  }

  String create(String prefix) {
    String name = tier.createNamespace(prefix);
    created.add(name);
    return name;
  }

  /** Endpoints objects in {@code namespace}: one list of limit 1, which carries remainingItemCount. */
  static long endpoints(KubernetesClient client, String namespace) {
    var list = client.endpoints().inNamespace(namespace).list(new ListOptionsBuilder().withLimit(1L).build());
    return count(list.getItems().size(), list.getMetadata());
  }

  static long endpointSlices(KubernetesClient client, String namespace) {
    var list = client.genericKubernetesResources(ENDPOINT_SLICES).inNamespace(namespace)
        .list(new ListOptionsBuilder().withLimit(1L).build());
    return count(list.getItems().size(), list.getMetadata());
  }

  private static long count(int items, ListMeta meta) {
    return items + (meta.getRemainingItemCount() == null ? 0 : meta.getRemainingItemCount());
  }

  /** Deletes every namespace created and waits until they are gone, so the next run meets a server of the same size. */
  @Override
  public void close() {
    KubernetesClient admin = tier.adminClient();
    for (String ns : created) {
      admin.namespaces().withName(ns).delete();
    }
    for (String ns : created) {
      Poll.until("namespace " + ns + " to go", deadline, Duration.ofSeconds(1),
          () -> admin.namespaces().withName(ns).get() == null);
    }
  }
}
