package dev.fc.operator.gateway;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Kubernetes-facing part, kept thin: informers on FunctionInstances and on the operator's instance pods,
 * whose handlers only translate ({@link ResourceReader}) into {@link InstanceDirectory} updates. A pod belongs to
 * function F when its {@link Labels#FUNCTION} label is F's name in F's namespace and F's uid controls it.
 */
public final class KubernetesSource implements AutoCloseable {
  private static final Map<String, String> INSTANCE_PODS =
      Map.of(Labels.MANAGED_BY, Labels.MANAGER, Labels.COMPONENT, Labels.Components.INSTANCE);

  private final InstanceDirectory directory;
  private final List<SharedIndexInformer<FunctionInstance>> functions = new ArrayList<>();
  private final List<SharedIndexInformer<Pod>> pods = new ArrayList<>();

  private KubernetesSource(InstanceDirectory directory) {
    this.directory = directory;
  }

  /** Starts the informers on {@code namespaces}, or on all namespaces when empty. */
  public static KubernetesSource start(KubernetesClient client, Set<String> namespaces, InstanceDirectory directory) {
    KubernetesSource source = new KubernetesSource(directory);
    if (namespaces.isEmpty()) {
      source.functions.add(client.resources(FunctionInstance.class).inAnyNamespace().inform(source.functionEvents()));
      source.pods.add(client.pods().inAnyNamespace().withLabels(INSTANCE_PODS).inform(source.podEvents()));
    } else {
      for (String namespace : namespaces) {
        source.functions.add(client.resources(FunctionInstance.class).inNamespace(namespace)
            .inform(source.functionEvents()));
        source.pods.add(client.pods().inNamespace(namespace).withLabels(INSTANCE_PODS).inform(source.podEvents()));
      }
    }
    return source;
  }

  /** Both informers have listed what there is. */
  public boolean synced() {
    return functions.stream().allMatch(SharedIndexInformer::hasSynced)
        && pods.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  private ResourceEventHandler<FunctionInstance> functionEvents() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(FunctionInstance fi) {
        putFunction(fi);
      }

      @Override
      public void onUpdate(FunctionInstance old, FunctionInstance fi) {
        putFunction(fi);
      }

      @Override
      public void onDelete(FunctionInstance fi, boolean finalStateUnknown) {
        directory.removeFunction(ResourceReader.keyOf(fi));
      }
    };
  }

  private ResourceEventHandler<Pod> podEvents() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        putPod(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        putPod(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        ResourceReader.functionOf(pod).ifPresent(key -> directory.removeInstance(key, pod.getMetadata().getName()));
      }
    };
  }

  /** The function, then its pods from the pod cache (they may have arrived first, or belong to an older uid). */
  private void putFunction(FunctionInstance fi) {
    RoutedFunction function = ResourceReader.function(fi);
    directory.putFunction(function);
    Set<String> current = new HashSet<>();
    for (SharedIndexInformer<Pod> informer : pods) {
      for (Pod pod : informer.getStore().list()) {
        if (ResourceReader.functionOf(pod).filter(function.key()::equals).isPresent()
            && ResourceReader.controlledBy(pod, function.uid())) {
          current.add(pod.getMetadata().getName());
          directory.putInstance(function.key(), ResourceReader.instance(pod));
        }
      }
    }
    directory.instancePods(function.key()).stream().filter(p -> !current.contains(p))
        .forEach(p -> directory.removeInstance(function.key(), p));
  }

  private void putPod(Pod pod) {
    Optional<FunctionKey> key = ResourceReader.functionOf(pod);
    if (key.isEmpty()) {
      return;
    }
    Optional<FunctionInstance> owner = functionInstance(key.get());
    if (owner.isPresent() && ResourceReader.controlledBy(pod, owner.get().getMetadata().getUid())) {
      directory.putInstance(key.get(), ResourceReader.instance(pod));
    } else {
      directory.removeInstance(key.get(), pod.getMetadata().getName());
    }
  }

  private Optional<FunctionInstance> functionInstance(FunctionKey key) {
    String cacheKey = Cache.namespaceKeyFunc(key.namespace(), key.name());
    return functions.stream().map(i -> i.getStore().getByKey(cacheKey)).filter(java.util.Objects::nonNull)
        .findFirst();
  }

  @Override
  public void close() {
    functions.forEach(SharedIndexInformer::close);
    pods.forEach(SharedIndexInformer::close);
  }
}
