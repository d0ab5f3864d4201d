package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.ScalingStatus;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.elastic.DemandReport;
import dev.fc.operator.elastic.DemandReport.InstanceActivity;
import dev.fc.operator.elastic.FakeGateway;
import dev.fc.operator.elastic.ScalingReason;
import dev.fc.operator.kube.FcKube;
import dev.fc.operator.manager.ElasticMetrics;
import dev.fc.operator.manager.FcOperator;
import dev.fc.operator.manager.ManagerSettings;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Elastic FunctionInstances through the whole operator on kubernetes-server-mock: demand from fake gateway
 * replicas (found as pods, as the chart runs them) sets the count, idle instances are reclaimed, the count lives in
 * the status, and {@code spec.instances} is left to the user.
 */
@EnableKubernetesMockClient(crud = true)
class ElasticOperatorTest {
  static KubernetesClient client;
  static KubernetesMockServer server;
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final String GATEWAY_SELECTOR = "app.kubernetes.io/component=gateway";

  private final List<FakeGateway> gateways = new ArrayList<>();
  private Operator operator;
  private SimpleMeterRegistry metrics;
  private Kubelet kubelet;
  private String namespace;
  private int adminPort;

  @BeforeEach
  void start() {
    namespace = "e" + NAMESPACES.incrementAndGet();
    kubelet = new Kubelet(client);
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
    gateways.forEach(FakeGateway::close);
  }

  /** A gateway replica's fake admin port; {@link #gatewayPod} gives it a Ready pod at its address. */
  private FakeGateway gateway(String name) {
    return gateway(new FakeGateway(name));
  }

  private FakeGateway gateway(FakeGateway gateway) {
    gateways.add(gateway);
    return gateway;
  }

  private void gatewayPod(String name, FakeGateway gateway) {
    adminPort = gateway.port();
    Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels("app.kubernetes.io/component", "gateway").endMetadata()
        .withNewSpec().addNewContainer().withName("gateway").withImage("fc-operator").endContainer().endSpec()
        .build();
    client.resource(pod).create();
    Pod fresh = client.pods().inNamespace(namespace).withName(name).get();
    fresh.setStatus(KubeletStates.ready(Instant.now()));
    fresh.getStatus().setPodIP(gateway.host());
    client.pods().inNamespace(namespace).resource(fresh).updateStatus();
  }

  private void startOperator() {
    metrics = new SimpleMeterRegistry();
    operator = FcOperator.create(client, ManagerSettings.defaults()
        .withServerSideApply(false)
        .withNamespaces(Set.of(namespace))
        .withReconcilerSettings(OperatorTest.FAST)
        .withGateways(new ManagerSettings.Gateways(namespace, GATEWAY_SELECTOR, adminPort)), Clock.systemUTC(),
        metrics);
    operator.start();
  }

  private FunctionInstance create(String name, Consumer<FunctionInstance> elastic) {
    FunctionInstance fi = Fixtures.function(name);
    fi.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    fi.getSpec().setInstanceConcurrency(5);
    elastic.accept(fi);
    return client.resource(fi).create();
  }

  private FunctionInstance get(String name) {
    return client.resources(FunctionInstance.class).inNamespace(namespace).withName(name).get();
  }

  private List<Pod> pods(String name) {
    return client.pods().inNamespace(namespace).withLabel(Labels.FUNCTION, name).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
  }

  private List<Pod> awaitPods(String name, int count) {
    return Await.value(count + " pods of " + name, () -> pods(name), pods -> pods.size() == count);
  }

  private ScalingStatus awaitScaling(String name, ScalingReason reason, int desired) {
    FunctionInstanceStatus status = Await.value("status.scaling of " + name + ": " + desired + " for " + reason,
        () -> get(name).getStatus(), s -> s != null && s.getScaling() != null
            && reason.name().equals(s.getScaling().getReason()) && s.getScaling().getDesiredInstances() == desired);
    return status.getScaling();
  }

  private List<Event> events(String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  private static DemandReport.FunctionDemand demand(String namespace, String name, int inFlight, int queued,
      InstanceActivity... instances) {
    return new DemandReport.FunctionDemand(namespace, name, inFlight, queued, List.of(instances));
  }

  @Test
  void heldInvocationsCreateInstancesAtTheirConcurrencyAndTheStatusSaysWhy() {
    FakeGateway gateway = gateway("g1");
    gatewayPod("g1", gateway);
    startOperator();
    create("fn", fi -> fi.getSpec().setMaxInstances(10));

    ScalingStatus initial = awaitScaling("fn", ScalingReason.Initial, 0);
    assertThat(initial.getMessage()).contains("bounds 0..10");
    assertThat(pods("fn")).isEmpty();

    gateway.report(demand(namespace, "fn", 0, 12));
    ScalingStatus scaled = awaitScaling("fn", ScalingReason.Demand, 3);
    assertThat(scaled.getMessage()).contains("12 invocations (0 in flight, 12 held) at 5 per instance need 3");
    awaitPods("fn", 3);
    assertThat(get("fn").getStatus().getReady()).isEqualTo("0/3");
    assertThat(events("Scaled")).extracting(Event::getMessage).anyMatch(m -> m.startsWith("3 instances (Demand)"));
    assertThat(metrics.find(ElasticMetrics.COLD_STARTS).tag("function", "fn").counter().count()).isEqualTo(3.0);

    gateway.report(demand(namespace, "fn", 0, 500));
    awaitScaling("fn", ScalingReason.MaxInstances, 10);
    awaitPods("fn", 10);
  }

  @Test
  void idleInstancesAreReclaimedIdlestFirstDownToMinInstancesAndBusyOnesStay() {
    FakeGateway gateway = gateway("g1");
    gatewayPod("g1", gateway);
    startOperator();
    create("fn", fi -> {
      fi.getSpec().setMinInstances(1);
      fi.getSpec().setIdleTimeout(2);
    });
    gateway.report(demand(namespace, "fn", 0, 15));
    List<Pod> pods = awaitPods("fn", 3);
    pods.forEach(kubelet::ready);
    String busy = pods.get(0).getMetadata().getName();
    String idlest = pods.get(1).getMetadata().getName();
    String idle = pods.get(2).getMetadata().getName();
    // the held invocations were served; one is still running on the first instance
    gateway.report(demand(namespace, "fn", 1, 0, new InstanceActivity(busy, 1, 0),
        new InstanceActivity(idlest, 0, 1500), new InstanceActivity(idle, 0, 0)));

    Await.until("the idlest instance reclaimed first",
        () -> pods("fn").stream().noneMatch(p -> p.getMetadata().getName().equals(idlest)));
    assertThat(pods("fn")).extracting(p -> p.getMetadata().getName()).contains(busy);
    ScalingStatus reclaimed = awaitScaling("fn", ScalingReason.IdleReclaim, 1);
    assertThat(reclaimed.getMessage()).contains("after idleTimeout 2s").contains("bounds 1..100");
    assertThat(pods("fn")).extracting(p -> p.getMetadata().getName()).containsExactly(busy);
    assertThat(events("InstanceReclaimed")).hasSize(2);
    assertThat(metrics.find(ElasticMetrics.RECLAIMED).tag("function", "fn").counter().count()).isEqualTo(2.0);
  }

  @Test
  void nothingIsReclaimedWhileAGatewayReplicaIsSilent() {
    FakeGateway answering = gateway("g1");
    FakeGateway silent = gateway(new FakeGateway("g2", "127.0.0.2", answering.port()));
    silent.failing(true);
    gatewayPod("g1", answering);
    gatewayPod("g2", silent);
    startOperator();
    create("fn", fi -> fi.getSpec().setIdleTimeout(1));
    answering.report(demand(namespace, "fn", 0, 1));
    Pod pod = kubelet.ready(awaitPods("fn", 1).get(0));
    String name = pod.getMetadata().getName();
    answering.report(demand(namespace, "fn", 0, 0, new InstanceActivity(name, 0, 0)));

    // idle for three times idleTimeout, and the operator looks again each second: the pod must stay all along
    Instant until = Instant.now().plusSeconds(3);
    Await.until("three seconds with the instance kept", () -> {
      assertThat(pods("fn")).as("kept while a replica is silent").hasSize(1);
      return Instant.now().isAfter(until);
    });
    silent.failing(false);
    Await.until("reclaimed once every replica answers", () -> pods("fn").isEmpty());
    assertThat(silent.polls()).as("the silent replica answered before the reclaim").isPositive();
    awaitScaling("fn", ScalingReason.IdleReclaim, 0);
  }

  @Test
  void theCountLivesInTheStatusSoSpecInstancesIsTheUsersAndARestartKeepsIt() {
    FakeGateway gateway = gateway("g1");
    gatewayPod("g1", gateway);
    startOperator();
    create("fn", fi -> fi.getSpec().setIdleTimeout(3600));
    gateway.report(demand(namespace, "fn", 0, 10));
    awaitPods("fn", 2).forEach(kubelet::ready);
    awaitScaling("fn", ScalingReason.Demand, 2);
    gateway.report();

    FunctionInstance edited = FcKube.edit(client, namespace, "fn", fi -> fi.getSpec().setInstances(7));
    long generation = edited.getMetadata().getGeneration();
    Await.until("the edit observed", () -> get("fn").getStatus().getObservedGeneration() == generation);
    assertThat(pods("fn")).as("spec.instances is ignored for an elastic function").hasSize(2);
    assertThat(get("fn").getStatus().getScaling().getDesiredInstances()).isEqualTo(2);

    operator.stop();
    int polls = gateway.polls();
    startOperator();
    Await.until("the new leader heard the gateway", () -> gateway.polls() > polls);
    FcKube.edit(client, namespace, "fn", fi -> fi.getSpec().setTimeout(4));
    long next = get("fn").getMetadata().getGeneration();
    Await.until("the new leader reconciled", () -> get("fn").getStatus().getObservedGeneration() == next);
    assertThat(get("fn").getStatus().getScaling().getDesiredInstances()).isEqualTo(2);
  }
}
