package dev.fc.operator.bench;

import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.manager.FcOperator;
import dev.fc.operator.manager.ManagerSettings;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * P1: the requests the operator makes, by verb, to converge one new FunctionInstance with k instances
 * (created, then every instance ready), and on a no-op reconcile. Counted at the mock server from the
 * operator's own client. Goal: each object written once, one status write per state change, no write
 * on a no-op reconcile.
 */
@EnableKubernetesMockClient(crud = true)
class ApiEfficiencyBench {
  static KubernetesClient client;
  static KubernetesMockServer server;
  private static final String AGENT = "fc-operator-bench";

  @Test
  void requestsToConvergeAndOnANoOpReconcile() throws Exception {
    BenchReport report = new BenchReport("p1-api-efficiency");
    report.line("machine: %s", BenchReport.machine());
    KubernetesClient operatorClient = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Operator operator = FcOperator.create(operatorClient, ManagerSettings.defaults().withServerSideApply(false),
        Clock.systemUTC(), metrics);
    operator.start();
    try {
      for (int k : new int[] {1, 3, 10}) {
        for (int run = 1; run <= 5; run++) {
          measure(report, metrics, "k" + k + "r" + run, k, run == 1);
        }
      }
    } finally {
      operator.stop();
      operatorClient.close();
    }
    report.write();
  }

  private void measure(BenchReport report, SimpleMeterRegistry metrics, String namespace, int k, boolean print)
      throws InterruptedException {
    RequestLog.drain(server, AGENT);
    FunctionInstance fi = Fixtures.function("emoji");
    fi.setMetadata(new ObjectMetaBuilder().withName("emoji").withNamespace(namespace).build());
    fi.getSpec().setInstances(k);
    client.resource(fi).create();
    List<Pod> pods = Await.value(k + " pods", () -> pods(namespace), p -> p.size() == k);
    Await.until("status 0/" + k, () -> ready(namespace, "0/" + k));
    Map<String, Integer> create = RequestLog.drain(server, AGENT);

    pods.forEach(pod -> markReady(namespace, pod));
    Await.until("status " + k + "/" + k, () -> ready(namespace, k + "/" + k));
    Map<String, Integer> readiness = RequestLog.drain(server, AGENT);

    double before = reconciles(metrics);
    client.pods().inNamespace(namespace).withName(pods.get(0).getMetadata().getName())
        .edit(p -> new PodBuilder(p).editMetadata().addToAnnotations("touched", "yes").endMetadata().build());
    Await.until("a no-op reconcile", () -> reconciles(metrics) > before);
    Map<String, Integer> noOp = RequestLog.drain(server, AGENT);

    report.line("k=%d create: %s (writes %d = %d objects (the minimum: k pods, 2 ConfigMaps, 1 Service) "
        + "+ status + %d InstanceCreated events)", k, create, RequestLog.writes(create), k + 3, k);
    report.line("k=%d all %d ready (kubelet wrote %d pod statuses): %s", k, k, k, readiness);
    report.line("k=%d no-op reconcile: %s (writes %d)", k, noOp, RequestLog.writes(noOp));
  }

  private static double reconciles(SimpleMeterRegistry metrics) {
    return metrics.find("operator.sdk.reconciliations.success").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static List<Pod> pods(String namespace) {
    return client.pods().inNamespace(namespace).withLabel(Labels.FUNCTION, "emoji").list().getItems();
  }

  private static boolean ready(String namespace, String ready) {
    FunctionInstance fi = client.resources(FunctionInstance.class).inNamespace(namespace).withName("emoji").get();
    return fi.getStatus() != null && ready.equals(fi.getStatus().getReady());
  }

  private static void markReady(String namespace, Pod pod) {
    Pod fresh = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
    fresh.setStatus(new PodStatusBuilder().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(Instant.now().toString())
        .endCondition()
        .withContainerStatuses(new ContainerStatusBuilder().withName("function").withStarted(true).withReady(true)
            .withNewState().withNewRunning().endRunning().endState().build())
        .build());
    client.pods().inNamespace(namespace).resource(fresh).updateStatus();
  }
}
