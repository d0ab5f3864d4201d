package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.contract.RuntimeContainer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import dev.fc.operator.desired.ConfigMapFactory;
import dev.fc.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator's caches keep of each kind: exactly what {@link InstanceFromPod},
 * {@link OwnedResources} and the reconciler read. Everything else (managedFields, annotations but the framework's, pod specs,
 * ConfigMap data — each runtime ConfigMap holds some 40 KB of Python) is dropped.
 */
public final class CachePruning {
  /**
   * One copy of each string that many cached objects repeat (namespaces, label keys and shared values,
   * owner kinds, phases, condition types, container and volume names). Unique values (names, uids,
   * resource versions) are not interned.
   */
  private static final Vocabulary SHARED = new Vocabulary(Vocabulary.DEFAULT_SIZE);

  /**
   * The String fields, in every cached model object, whose values come from a small vocabulary (Kubernetes' and the
   * operator's words, and the handler names functions mostly share): one copy of each value.
   */
  private static final Set<String> SHARED_FIELDS = Set.of("namespace", "apiVersion", "kind", "type", "status",
      "reason", "phase", "runtime", "handler", "handlerType", "ready", "amount", "format", "protocol");

  private CachePruning() {}

  private static <T> T lean(T object) {
    return LeanModel.compact(object, SHARED_FIELDS, CachePruning::shared);
  }

  static String shared(String value) {
    return SHARED.shared(value);
  }

  private static Map<String, String> sharedLabels(Map<String, String> labels) {
    if (labels == null) {
      return null;
    }
    Map<String, String> copy = new LinkedHashMap<>(labels.size() * 2);
    labels.forEach((key, value) -> copy.put(shared(key), Labels.FUNCTION.equals(key) ? value : shared(value)));
    return copy;
  }

  private static List<OwnerReference> sharedOwners(List<OwnerReference> owners) {
    if (owners == null) {
      return null;
    }
    return owners.stream().map(o -> new OwnerReferenceBuilder()
        .withApiVersion(shared(o.getApiVersion()))
        .withKind(shared(o.getKind()))
        .withName(o.getName())
        .withUid(o.getUid())
        .withController(o.getController())
        .withBlockOwnerDeletion(o.getBlockOwnerDeletion())
        .build()).toList();
  }

  /** Identity, ownership and time: what every cached object keeps. Unset collections stay null. */
  static ObjectMeta metadata(ObjectMeta meta, boolean keepLabels) {
    ObjectMeta pruned = new ObjectMeta();
    pruned.setName(meta.getName());
    pruned.setNamespace(shared(meta.getNamespace()));
    pruned.setUid(meta.getUid());
    pruned.setResourceVersion(meta.getResourceVersion());
    pruned.setGeneration(meta.getGeneration());
    pruned.setCreationTimestamp(meta.getCreationTimestamp());
    pruned.setDeletionTimestamp(meta.getDeletionTimestamp());
    pruned.setLabels(keepLabels ? sharedLabels(meta.getLabels()) : null);
    pruned.setOwnerReferences(sharedOwners(meta.getOwnerReferences()));
    pruned.setAnnotations(frameworkAnnotations(meta.getAnnotations()));
    pruned.setFinalizers(null);
    pruned.setManagedFields(null);
    return pruned;
  }

  /**
   * Of the annotations, only the one java-operator-sdk reads, and never null: its InformerEventSource reads
   * {@code metadata.annotations} of every object an event brings without a null check
   * ({@code isEventKnownFromAnnotation}); a null map there threw in the informer's thread and dropped the event.
   */
  static Map<String, String> frameworkAnnotations(Map<String, String> annotations) {
    String previous = annotations == null ? null : annotations.get(InformerEventSource.PREVIOUS_ANNOTATION_KEY);
    return previous == null ? Map.of() : Map.of(InformerEventSource.PREVIOUS_ANNOTATION_KEY, previous);
  }

  /**
   * Metadata, the ConfigMap volumes' names, the function container's memory limit (named in an
   * out-of-memory failure), and the status {@link InstanceFromPod} reads.
   */
  public static Pod pod(Pod pod) {
    PodBuilder pruned = new PodBuilder().withMetadata(metadata(pod.getMetadata(), true));
    if (pod.getSpec() != null) {
      List<Volume> configMapVolumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes()
          .stream()
          .filter(v -> v.getConfigMap() != null)
          .map(v -> new VolumeBuilder().withName(shared(v.getName())).withNewConfigMap()
              .withName(v.getConfigMap().getName()).endConfigMap().build())
          .toList();
      pruned.withNewSpec().withVolumes(configMapVolumes).withContainers(memoryLimit(pod.getSpec())).endSpec();
    }
    PodStatus status = pod.getStatus();
    if (status != null) {
      pruned.withNewStatus()
          .withPhase(shared(status.getPhase()))
          .withReason(shared(status.getReason()))
          .withMessage(status.getMessage())
          .withConditions(status.getConditions() == null ? List.of() : status.getConditions().stream()
              .filter(c -> "Ready".equals(c.getType()))
              .map(c -> new PodConditionBuilder().withType(shared(c.getType())).withStatus(shared(c.getStatus()))
                  .withLastTransitionTime(c.getLastTransitionTime()).build())
              .toList())
          .withContainerStatuses(status.getContainerStatuses() == null ? List.of()
              : status.getContainerStatuses().stream().map(CachePruning::containerStatus).toList())
          .endStatus();
    }
    return lean(pruned.build());
  }

  /**
   * The function container with its memory limit alone (or nothing), and a custom runtime's adapter container by its
   * name alone: which container carries the contract is read from the names ({@code InstanceContainers}).
   */
  private static List<Container> memoryLimit(PodSpec spec) {
    if (spec.getContainers() == null) {
      return List.of();
    }
    List<Container> kept = new java.util.ArrayList<>();
    for (Container c : spec.getContainers()) {
      if (RuntimeContainer.ADAPTER_NAME.equals(c.getName())) {
        kept.add(new ContainerBuilder().withName(shared(c.getName())).build());
      } else if (RuntimeContainer.NAME.equals(c.getName()) && c.getResources() != null
          && c.getResources().getLimits() != null && c.getResources().getLimits().get("memory") != null) {
        Quantity limit = c.getResources().getLimits().get("memory");
        kept.add(new ContainerBuilder().withName(shared(c.getName())).withNewResources()
            .addToLimits(shared("memory"), new Quantity(shared(limit.getAmount()), shared(limit.getFormat())))
            .endResources().build());
      }
    }
    return kept;
  }

  private static ContainerStatus containerStatus(ContainerStatus status) {
    var state = status.getState();
    ContainerStateBuilder prunedState = new ContainerStateBuilder();
    if (state != null && state.getRunning() != null) {
      prunedState.withNewRunning().withStartedAt(state.getRunning().getStartedAt()).endRunning();
    }
    if (state != null && state.getTerminated() != null) {
      prunedState.withNewTerminated()
          .withExitCode(state.getTerminated().getExitCode())
          .withReason(shared(state.getTerminated().getReason()))
          .withMessage(state.getTerminated().getMessage())
          .endTerminated();
    }
    return new ContainerStatusBuilder()
        .withName(shared(status.getName()))
        .withStarted(status.getStarted())
        .withReady(status.getReady())
        .withState(prunedState.build())
        .build();
  }

  /**
   * Names and owners only: ConfigMaps are immutable and named by their content. A shared runtime ConfigMap (one per
   * namespace and runtime) keeps its labels too, which say it is one.
   */
  public static ConfigMap configMap(ConfigMap configMap) {
    return lean(new ConfigMapBuilder()
        .withMetadata(metadata(configMap.getMetadata(), ConfigMapFactory.isSharedRuntime(configMap))).build());
  }

  /** Metadata, selector and ports: what drift detection compares. */
  public static Service service(Service service) {
    ServiceBuilder pruned = new ServiceBuilder().withMetadata(metadata(service.getMetadata(), false));
    if (service.getSpec() != null) {
      pruned.withNewSpec()
          .withSelector(service.getSpec().getSelector())
          .withPorts(service.getSpec().getPorts())
          .endSpec();
    }
    return lean(pruned.build());
  }

  /**
   * The whole resource but its managedFields, its annotations, which nothing reads (after {@code kubectl apply}, an
   * annotation holds a second copy of the whole spec, inline code included), and its inline code's content, of which
   * only the digest stays ({@code Code.dropInline}): the operator reads the files from the API when it writes their
   * ConfigMap ({@link InlineCodeReader}), so the cache does not grow with the code.
   */
  public static FunctionInstance functionInstance(FunctionInstance fi) {
    if (fi.getMetadata() != null) {
      fi.getMetadata().setManagedFields(null);
      fi.getMetadata().setAnnotations(frameworkAnnotations(fi.getMetadata().getAnnotations()));
    }
    if (fi.getSpec() != null && fi.getSpec().getCode() != null) {
      fi.getSpec().getCode().dropInline();
    }
    return lean(fi);
  }
}
