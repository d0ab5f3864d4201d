package dev.fc.operator.kube;

import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.desired.ConfigMapFactory;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.manager.FcOperator;
import dev.fc.operator.manager.ManagerSettings;
import dev.fc.operator.reconciler.ReconcilerSettings;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** What the operator's integration tests share: the CRD, FunctionInstances, an in-process operator, lookups. */
public final class FcKube {
  public static final Path CRD_FILE = Path.of("crds/functioninstances.fc.dev-v1.yml");
  public static final String CRD_NAME = "functioninstances.fc.dev";
  public static final ResourceDefinitionContext FUNCTION_INSTANCES = new ResourceDefinitionContext.Builder()
      .withGroup(FunctionInstance.GROUP).withVersion(FunctionInstance.VERSION).withKind(FunctionInstance.KIND)
      .withPlural("functioninstances").withNamespaced(true).build();
  /** As in OperatorTest: short backoffs, so failures do not stall a test. */
  public static final ReconcilerSettings FAST = new ReconcilerSettings(Duration.ofSeconds(1), Duration.ofSeconds(8),
      Duration.ofSeconds(2));
  /** Deadline for what involves the hollow kubelet (scheduling, probes, preStop) or the garbage collector. */
  public static final Duration SLOW = Duration.ofSeconds(60);

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static boolean crdInstalled;

  private FcKube() {}

  /**
   * Applies {@code crds/functioninstances.fc.dev-v1.yml} as {@code kubectl apply --server-side} would (once
   * per JVM) and waits until the API server serves it.
   */
  public static synchronized CustomResourceDefinition installCrd(KubernetesClient admin) {
    var crds = admin.apiextensions().v1().customResourceDefinitions();
    if (!crdInstalled) {
      CustomResourceDefinition crd = crds.load(CRD_FILE.toFile()).item();
      admin.resource(crd).fieldManager("fc-operator-it").forceConflicts().serverSideApply();
      crdInstalled = true;
    }
    return crds.withName(CRD_NAME).waitUntilCondition(c -> c != null && c.getStatus() != null
        && orEmpty(c.getStatus().getConditions()).stream()
            .anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())),
        30, TimeUnit.SECONDS);
  }

  /**
   * {@link Fixtures#function} in {@code namespace}: inline code, both hooks, {@code instances} pods, and the
   * smallest resources (0.05 vCPU, 128 MiB): the hollow node has kubemark's fake capacity of one CPU, and
   * the pods of earlier tests stay on it.
   */
  public static FunctionInstance function(String namespace, String name, int instances) {
    FunctionInstance fi = Fixtures.function(name);
    fi.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    fi.getSpec().setInstances(instances);
    fi.getSpec().setCpu(0.05);
    fi.getSpec().setMemorySize(128);
    return fi;
  }

  /**
   * A list from the API as a list: a status the API server has only begun to fill (a CRD just created, a pod
   * just scheduled) may carry {@code conditions: null}.
   */
  public static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  public static Resource<FunctionInstance> fi(KubernetesClient client, String namespace, String name) {
    return client.resources(FunctionInstance.class).inNamespace(namespace).withName(name);
  }

  /** Edits the spec as a user would, retrying when the operator's status write came in between (409). */
  public static FunctionInstance edit(KubernetesClient client, String namespace, String name,
      Consumer<FunctionInstance> change) {
    return editRetrying(fi(client, namespace, name), fi -> {
      change.accept(fi);
      return fi;
    });
  }

  /**
   * Edits any object as a user would: {@code edit} sends the resourceVersion it read, so a write by the operator
   * in between answers 409; read again and retry, as kubectl edit asks its user to.
   */
  public static <T extends HasMetadata> T editRetrying(Resource<T> resource, UnaryOperator<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return resource.edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  /** The function's instance pods (terminating ones too), by name. */
  public static List<Pod> pods(KubernetesClient client, String namespace, String name) {
    return client.pods().inNamespace(namespace).withLabels(Labels.instanceSelector(name)).list().getItems()
        .stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
  }

  /** The namespace's shared runtime ConfigMaps (one per runtime language in use). */
  public static List<ConfigMap> sharedRuntimes(KubernetesClient client, String namespace) {
    return client.configMaps().inNamespace(namespace).withLabels(Labels.sharedRuntime()).list().getItems().stream()
        .filter(ConfigMapFactory::isSharedRuntime).toList();
  }

  /** The function's own ConfigMaps (its inline code). */
  public static List<ConfigMap> configMaps(KubernetesClient client, String namespace, String name) {
    return client.configMaps().inNamespace(namespace).withLabel(Labels.FUNCTION, name).list().getItems();
  }

  public static List<Event> events(KubernetesClient client, String namespace, String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())
            && FunctionInstance.KIND.equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  public static List<String> eventReasons(KubernetesClient client, String namespace, String name) {
    return events(client, namespace, name).stream().map(Event::getReason).toList();
  }

  public static FunctionInstanceStatus awaitStatus(KubernetesClient client, String namespace, String name,
      String what, Predicate<FunctionInstanceStatus> accept) {
    try {
      return Await.value(namespace + "/" + name + " status: " + what, SLOW,
          () -> {
            FunctionInstance fi = fi(client, namespace, name).get();
            return fi == null ? null : fi.getStatus();
          }, s -> s != null && accept.test(s));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + describe(client, namespace, name), e);
    }
  }

  /** The FunctionInstance's status, its pods and the namespace's events, for failure messages. */
  public static String describe(KubernetesClient client, String namespace, String name) {
    StringBuilder out = new StringBuilder();
    FunctionInstance fi = fi(client, namespace, name).get();
    out.append("status: ").append(fi == null ? "(no FunctionInstance)" : JSON.asJson(fi.getStatus())).append('\n');
    for (Pod pod : pods(client, namespace, name)) {
      out.append("pod ").append(name(pod)).append(" hash=").append(hash(pod))
          .append(" phase=").append(pod.getStatus() == null ? null : pod.getStatus().getPhase())
          .append(" node=").append(pod.getSpec().getNodeName())
          .append(pod.getMetadata().getDeletionTimestamp() == null ? "" : " deleting")
          .append(" conditions=").append(pod.getStatus() == null || pod.getStatus().getConditions() == null ? "[]"
              : orEmpty(pod.getStatus().getConditions()).stream().map(c -> c.getType() + "=" + c.getStatus()).toList())
          .append('\n');
    }
    client.v1().events().inNamespace(namespace).list().getItems().stream()
        .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
        .forEach(e -> out.append("event ").append(e.getInvolvedObject().getKind()).append('/')
            .append(e.getInvolvedObject().getName()).append(' ').append(e.getType()).append(' ')
            .append(e.getReason()).append(": ").append(e.getMessage()).append('\n'));
    return out.toString();
  }

  public static Condition condition(FunctionInstanceStatus status, String type) {
    return status == null || status.getConditions() == null ? null
        : orEmpty(status.getConditions()).stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  public static String readyReason(FunctionInstanceStatus status) {
    Condition ready = condition(status, "Ready");
    return ready == null ? null : ready.getReason();
  }

  public static String progressingReason(FunctionInstanceStatus status) {
    Condition progressing = condition(status, "Progressing");
    return progressing == null ? null : progressing.getReason();
  }

  /** Ready, Stable, {@code n/n}: what a finished rollout or scale leaves. */
  public static boolean settled(FunctionInstanceStatus s, int n) {
    return (n + "/" + n).equals(s.getReady()) && Integer.valueOf(n).equals(s.getInstances())
        && (n == 0 || "Ready".equals(readyReason(s))) && "Stable".equals(progressingReason(s));
  }

  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && orEmpty(pod.getStatus().getConditions()).stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static Instant readySince(Pod pod) {
    return orEmpty(pod.getStatus().getConditions()).stream()
        .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> Instant.parse(c.getLastTransitionTime())).findFirst().orElse(null);
  }

  public static String hash(Pod pod) {
    return pod.getMetadata().getLabels().get(Labels.TEMPLATE_HASH);
  }

  public static String name(Pod pod) {
    return pod.getMetadata().getName();
  }

  /** Starts the operator in-process, production settings (server-side apply), watching {@code namespace}. */
  static RunningOperator startOperator(KubernetesClient client, String namespace) {
    return startOperator(client, namespace, UnaryOperator.identity());
  }

  static RunningOperator startOperator(KubernetesClient client, String namespace,
      UnaryOperator<ManagerSettings> options) {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Operator operator = FcOperator.create(client, options.apply(ManagerSettings.defaults()
        .withNamespaces(Set.of(namespace)).withReconcilerSettings(FAST)), Clock.systemUTC(), metrics);
    operator.start();
    return new RunningOperator(operator, metrics);
  }

  /** An operator started in-process, and its metrics. */
  record RunningOperator(Operator operator, SimpleMeterRegistry metrics) implements AutoCloseable {
    /** Reconciles this operator started (JOSDK's counter): zero for a replica that is not the leader. */
    double reconcilesStarted() {
      return metrics.find("operator.sdk.reconciliations.started").counters().stream()
          .mapToDouble(c -> c.count()).sum();
    }

    @Override
    public void close() {
      operator.stop();
    }
  }
}
