package dev.fc.operator.kube;

import static dev.fc.operator.kube.FcKube.SLOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator in-process with production settings (server-side apply) against the real API server, with
 * the hollow node running its pods: what it creates and writes, what it refuses, and what the garbage
 * collector does once a FunctionInstance is deleted.
 */
@ExtendWith(KubeTierExtension.class)
class OperatorIT {
  private static PodLifecycleResponder pods;

  private KubernetesClient admin;
  private String ns;
  private FcKube.RunningOperator operator;

  @BeforeAll
  static void cluster(KubeTier tier) {
    tier.withNode();
    pods = PodLifecycleResponder.shared();
    FcKube.installCrd(tier.adminClient());
  }

  @BeforeEach
  void start(KubeTier tier) {
    pods.reset();
    admin = tier.adminClient();
    ns = tier.createNamespace("op");
    operator = FcKube.startOperator(tier.newAdminClient(), ns);
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void createsPodsConfigMapsAndServiceAndWritesStatusWithServerSideApply() {
    admin.resource(FcKube.function(ns, "emoji", 2)).create();

    FunctionInstanceStatus status = FcKube.awaitStatus(admin, ns, "emoji", "2/2 Ready",
        s -> FcKube.settled(s, 2));
    assertThat(status.getReadyInstances()).isEqualTo(2);
    assertThat(status.getSelector()).isEqualTo(Labels.instanceSelectorString("emoji"));
    assertThat(status.getInstanceStatuses()).hasSize(2).allSatisfy(i -> {
      assertThat(i.getPhase()).isEqualTo("Ready");
      assertThat(i.getInitializer().getStatus()).isEqualTo("succeeded");
    });
    assertThat(FcKube.condition(status, "Ready").getStatus()).isEqualTo("True");
    assertThat(pods.count(PodLifecycleResponder.STARTUP)).as("the Initializer ran through the startup probe")
        .isGreaterThanOrEqualTo(2);

    FunctionInstance fi = FcKube.fi(admin, ns, "emoji").get();
    String uid = fi.getMetadata().getUid();
    List<Pod> instances = FcKube.pods(admin, ns, "emoji");
    assertThat(instances).hasSize(2).allSatisfy(pod -> {
      assertControlledBy(pod, uid);
      assertThat(pod.getSpec().getNodeName()).isEqualTo(KubeTier.NODE_NAME);
      assertThat(pod.getStatus().getPodIP()).isEqualTo(KubeTier.POD_IP);
      assertThat(FcKube.isReady(pod)).isTrue();
    });
    List<ConfigMap> configMaps = FcKube.configMaps(admin, ns, "emoji");
    assertThat(configMaps).extracting(cm -> cm.getMetadata().getName())
        .singleElement().satisfies(n -> assertThat(n).startsWith("emoji-code-"));
    configMaps.forEach(cm -> {
      assertControlledBy(cm, uid);
      assertThat(cm.getImmutable()).isTrue();
    });
    assertThat(FcKube.sharedRuntimes(admin, ns)).singleElement().satisfies(cm -> {
      assertThat(cm.getMetadata().getName()).startsWith("fc-runtime-python-");
      assertThat(cm.getImmutable()).isTrue();
      assertThat(cm.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(uid));
    });
    Service service = admin.services().inNamespace(ns).withName("emoji").get();
    assertControlledBy(service, uid);
    assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(9000);
    assertThat(service.getSpec().getSelector()).isEqualTo(Labels.instanceSelector("emoji"));
    assertThat(admin.endpoints().inNamespace(ns).withName("emoji").get().getSubsets())
        .as("both ready instances serve behind the Service")
        .singleElement().satisfies(s -> assertThat(s.getAddresses()).extracting(a -> a.getTargetRef().getName())
            .containsExactlyInAnyOrderElementsOf(instances.stream().map(FcKube::name).toList()));

    // status went out as a server-side apply by the field manager fc-operator, owning the status alone.
    // (Kubernetes 1.20's managedFields have no `subresource` field yet: the fields owned say it.)
    List<ManagedFieldsEntry> byOperator = fi.getMetadata().getManagedFields().stream()
        .filter(m -> "fc-operator".equals(m.getManager())).toList();
    assertThat(byOperator).as(String.valueOf(fi.getMetadata().getManagedFields())).singleElement()
        .satisfies(m -> {
          assertThat(m.getOperation()).isEqualTo("Apply");
          assertThat(m.getFieldsV1().getAdditionalProperties()).containsOnlyKeys("f:status");
        });
    assertThat(fi.getMetadata().getFinalizers()).as("no finalizer: deletion is left to the GC").isEmpty();

    assertThat(FcKube.events(admin, ns, "emoji"))
        .filteredOn(e -> "InstanceCreated".equals(e.getReason())).hasSize(2)
        .allSatisfy(e -> assertThat(e.getSource().getComponent()).isEqualTo("fc-operator"));
  }

  @Test
  void whatTheSchemaCannotCheckIsAcceptedThenReportedAsInvalidSpec() {
    KubernetesSerialization json = new KubernetesSerialization();
    var generic = admin.genericKubernetesResources(FcKube.FUNCTION_INSTANCES).inNamespace(ns);
    GenericKubernetesResource twoSources = json.unmarshal("""
        apiVersion: fc.dev/v1alpha1
        kind: FunctionInstance
        metadata: {name: two-sources}
        spec:
          handler: index.handler
          code:
            inline: {index.py: "def handler(event, context):\\n    return event\\n"}
            configMap: my-code
        """, GenericKubernetesResource.class);
    GenericKubernetesResource oddMemory = json.unmarshal("""
        apiVersion: fc.dev/v1alpha1
        kind: FunctionInstance
        metadata: {name: odd-memory}
        spec:
          handler: index.handler
          memorySize: 200
          cpu: 0.05
          code:
            inline: {index.py: "def handler(event, context):\\n    return event\\n"}
        """, GenericKubernetesResource.class);
    // the API server takes both: the schema cannot express either rule
    generic.resource(twoSources).create();
    generic.resource(oddMemory).create();

    FunctionInstanceStatus sources = FcKube.awaitStatus(admin, ns, "two-sources", "InvalidSpec",
        s -> "InvalidSpec".equals(FcKube.readyReason(s)));
    assertThat(FcKube.condition(sources, "Ready").getStatus()).isEqualTo("False");
    assertThat(FcKube.condition(sources, "Ready").getMessage()).contains("spec.code").contains("exactly one");
    assertThat(FcKube.progressingReason(sources)).isEqualTo("InvalidSpec");

    FunctionInstanceStatus memory = FcKube.awaitStatus(admin, ns, "odd-memory", "InvalidSpec",
        s -> "InvalidSpec".equals(FcKube.readyReason(s)));
    assertThat(FcKube.condition(memory, "Ready").getMessage()).contains("spec.memorySize").contains("multiple of 64");

    Await.until("InvalidSpec warnings", () -> FcKube.events(admin, ns, "two-sources").stream()
        .anyMatch(e -> "InvalidSpec".equals(e.getReason()) && "Warning".equals(e.getType()))
        && FcKube.events(admin, ns, "odd-memory").stream()
        .anyMatch(e -> "InvalidSpec".equals(e.getReason()) && "Warning".equals(e.getType())));
    assertThat(admin.pods().inNamespace(ns).list().getItems()).as("nothing is created for an invalid spec").isEmpty();
    assertThat(admin.configMaps().inNamespace(ns).withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems())
        .isEmpty();
    assertThat(admin.services().inNamespace(ns).list().getItems()).isEmpty();

    // fixed, it runs
    FcKube.edit(admin, ns, "odd-memory", fi -> fi.getSpec().setMemorySize(128));
    FcKube.awaitStatus(admin, ns, "odd-memory", "1/1 Ready", s -> FcKube.settled(s, 1));
  }

  @Test
  void deletingAFunctionInstanceLeavesItsPodsConfigMapsAndServiceToTheGarbageCollector() {
    admin.resource(FcKube.function(ns, "doomed", 2)).create();
    FcKube.awaitStatus(admin, ns, "doomed", "2/2 Ready", s -> FcKube.settled(s, 2));
    assertThat(FcKube.configMaps(admin, ns, "doomed")).hasSize(1);
    assertThat(FcKube.sharedRuntimes(admin, ns)).hasSize(1);
    assertThat(admin.services().inNamespace(ns).withName("doomed").get()).isNotNull();
    int preStops = pods.count(PodLifecycleResponder.PRE_STOP);

    long t0 = System.nanoTime();
    assertThat(FcKube.fi(admin, ns, "doomed").delete()).hasSize(1);

    Await.until("the garbage collector to delete pods, ConfigMaps and Service of doomed, and the runtime it alone used",
        () -> FcKube.pods(admin, ns, "doomed").isEmpty() && FcKube.configMaps(admin, ns, "doomed").isEmpty()
            && admin.services().inNamespace(ns).withName("doomed").get() == null
            && FcKube.sharedRuntimes(admin, ns).isEmpty(),
        SLOW);
    System.err.printf("OperatorIT: garbage collected in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(pods.count(PodLifecycleResponder.PRE_STOP) - preStops)
        .as("the kubelet ran each pod's PreStop").isEqualTo(2);
    assertThat(FcKube.fi(admin, ns, "doomed").get()).isNull();
  }

  private static void assertControlledBy(HasMetadata object, String uid) {
    assertThat(object.getMetadata().getOwnerReferences()).as(object.getMetadata().getName()).singleElement()
        .satisfies(ref -> {
          assertThat(ref.getUid()).isEqualTo(uid);
          assertThat(ref.getKind()).isEqualTo("FunctionInstance");
          assertThat(ref.getController()).isTrue();
          assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
  }
}
