package dev.fc.operator.reconciler;

import dev.fc.operator.desired.InstancePod;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;

/**
 * Creates and deletes instance pods. Pods are never updated: a new template means new pods. Each pod
 * gets its name here (the template's generateName plus five random characters, as the API server would
 * choose), so the creation can be expected before it is sent, and so before the informer can see it; and
 * its lifecycle secret ({@link InstancePod}).
 */
public class InstanceWriter {
  private final KubernetesClient client;
  private final SecureRandom random = new SecureRandom();

  public InstanceWriter(KubernetesClient client) {
    this.client = client;
  }

  /** The template with a fresh name (generateName plus five random characters) and a lifecycle secret of its own. */
  public Pod named(Pod template) {
    return InstancePod.issue(template, random);
  }

  /** Creates a named pod. A name taken already (409) fails the reconcile, which is retried with a new name. */
  public Pod create(Pod pod) {
    return client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
  }

  /** Deletes with the pod's own grace period, so the kubelet runs its PreStop. */
  public void delete(Pod pod) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
  }
}
