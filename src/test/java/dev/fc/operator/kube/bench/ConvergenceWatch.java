package dev.fc.operator.kube.bench;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches one namespace's FunctionInstances and pods (informers, so the check costs the server one watch each, not
 * a list of N objects per poll) and notes when the last of {@code n} functions has both a pod and a written status
 * ({@code status.observedGeneration} and {@code status.instances} set).
 */
final class ConvergenceWatch implements AutoCloseable {
  private final int n;
  private final Set<String> withStatus = ConcurrentHashMap.newKeySet();
  private final Set<String> withPod = ConcurrentHashMap.newKeySet();
  private final CountDownLatch done = new CountDownLatch(1);
  private final SharedIndexInformer<FunctionInstance> functions;
  private final SharedIndexInformer<Pod> pods;
  private volatile long convergedNanos;

  ConvergenceWatch(KubernetesClient client, String namespace, int n) {
    this.n = n;
    this.functions = client.resources(FunctionInstance.class).inNamespace(namespace).inform(handler(fi -> {
      if (fi.getStatus() != null && fi.getStatus().getObservedGeneration() != null
          && fi.getStatus().getInstances() != null) {
        withStatus.add(fi.getMetadata().getName());
      }
    }));
    this.pods = client.pods().inNamespace(namespace).inform(handler(pod -> {
      for (OwnerReference owner : pod.getMetadata().getOwnerReferences()) {
        if (FunctionInstance.KIND.equals(owner.getKind())) {
          withPod.add(owner.getName());
        }
      }
    }));
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> seen) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        seen.accept(obj);
        check();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        seen.accept(newObj);
        check();
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  private void check() {
    if (withStatus.size() >= n && withPod.size() >= n && done.getCount() > 0) {
      convergedNanos = System.nanoTime();
      done.countDown();
    }
  }

  /** System.nanoTime() when the watch saw the last function converge. */
  long awaitConverged(Duration timeout) {
    try {
      if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("not converged within " + timeout.toSeconds() + " s: " + withPod.size()
            + " of " + n + " functions with a pod, " + withStatus.size() + " with a status");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return convergedNanos;
  }

  @Override
  public void close() {
    functions.close();
    pods.close();
  }
}
