package dev.fc.operator.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Fixtures;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator as a process: health, readiness, metrics, leader election, and a clean stop on SIGTERM. */
@EnableKubernetesMockClient(crud = true)
class OperatorProcessTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private Operator operator(ManagerSettings options, PrometheusMeterRegistry registry) {
    return operator(options, registry, new Leadership());
  }

  private Operator operator(ManagerSettings options, PrometheusMeterRegistry registry, Leadership leadership) {
    Operator operator = FcOperator.create(client, options.withServerSideApply(false), Clock.systemUTC(), registry,
        leadership);
    toClose.add(operator::stop);
    return operator;
  }

  private HttpResponse<String> get(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private void createFunction(String namespace, String name, int instances) {
    FunctionInstance fi = Fixtures.function(name);
    fi.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    fi.getSpec().setInstances(instances);
    client.resource(fi).create();
  }

  @Test
  void healthReadinessAndMetricsEndpoints() throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Operator operator = operator(ManagerSettings.defaults().withNamespaces(Set.of("metrics")), registry);
    var started = new java.util.concurrent.atomic.AtomicReference<Operator>();
    OperatorHttpServer server = OperatorHttpServer.start(0,
        () -> started.get() == null ? null : started.get().getRuntimeInfo(), new Leadership(), registry);
    toClose.add(server);
    assertThat(get(server.port(), "/readyz").statusCode()).as("not ready before start").isEqualTo(503);

    operator.start();
    started.set(operator);
    assertThat(get(server.port(), "/readyz").statusCode()).isEqualTo(200);
    assertThat(get(server.port(), "/healthz").statusCode()).isEqualTo(200);

    createFunction("metrics", "emoji", 2);
    String metrics = Await.value("instance gauge", () -> get(server.port(), "/metrics").body(),
        body -> body.contains("fc_instances{phase=\"Pending\"} 2.0"));
    assertThat(metrics).contains("fc_instances{phase=\"Ready\"} 0.0");
    assertThat(metrics).contains("operator_sdk_reconciliations");
    assertThat(get(server.port(), "/metrics").headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain");
  }

  @Test
  void withLeaderElectionOnlyTheLeaseHolderReconciles() throws IOException {
    // java-operator-sdk checks its Lease permissions first; the mock cannot review rules, so it is told to allow all
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
            .withApiGroups("*").withResources("*").withVerbs("*").endResourceRule().withIncomplete(false).endStatus()
            .build())
        .always();
    var election = new ManagerSettings.LeaderElection("fc-operator", Optional.of("leases"), false);
    ManagerSettings options = ManagerSettings.defaults().withNamespaces(Set.of("le")).withLeaderElection(election);
    Leadership first = new Leadership();
    Leadership second = new Leadership();
    List<Operator> replicas = List.of(
        operator(options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), first),
        operator(options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), second));
    replicas.forEach(Operator::start);
    Lease lease = Await.value("lease", () -> client.leases().inNamespace("leases").withName("fc-operator").get(),
        l -> l != null && l.getSpec().getHolderIdentity() != null);
    assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
    Await.until("one leader, one standby", () -> first.standby() != second.standby());
    // the standby answers its liveness probe although it runs no informer
    Leadership standby = first.standby() ? first : second;
    Operator standbyOperator = replicas.get(first.standby() ? 0 : 1);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorHttpServer http = OperatorHttpServer.start(0, standbyOperator::getRuntimeInfo, standby, registry);
    toClose.add(http);
    assertThat(get(http.port(), "/healthz").body()).isEqualTo("ok (standby)\n");
    assertThat(get(http.port(), "/readyz").statusCode()).isEqualTo(200);

    createFunction("le", "emoji", 3);
    Await.until("3 pods", () -> client.pods().inNamespace("le").list().getItems().size() == 3);
    // both replicas see the same events; only the leader acts, so no fourth pod appears
    createFunction("le", "witness", 1);
    Await.until("witness pod", () -> client.pods().inNamespace("le").withLabel("fc.dev/function", "witness")
        .list().getItems().size() == 1);
    assertThat(client.pods().inNamespace("le").withLabel("fc.dev/function", "emoji").list().getItems()).hasSize(3);
  }

  @Test
  void runServesHealthAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: test
          user: {token: test}
        contexts:
        - name: mock
          context: {cluster: mock, user: test, namespace: default}
        current-context: mock
        """.formatted(client.getMasterUrl()));
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        "dev.fc.operator.cli.FcOperatorCommand", "run", "--namespace", "proc", "--http-port", String.valueOf(port),
        "--server-side-apply=false")
        .redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("FC_LOG_JSON", "true");
    builder.redirectOutput(dir.resolve("out.log").toFile());
    Process process = builder.start();
    toClose.add(process::destroyForcibly);

    Await.until("readyz", () -> {
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }, Duration.ofSeconds(60));
    createFunction("proc", "emoji", 1);
    Await.until("the process reconciles", () -> client.pods().inNamespace("proc").list().getItems().size() == 1);

    process.destroy(); // SIGTERM
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
    List<String> lines = Files.readAllLines(dir.resolve("out.log"));
    assertThat(lines).as("every line is JSON").allMatch(l -> l.startsWith("{") && l.endsWith("}"));
    assertThat(lines).anyMatch(l -> l.contains("\"formattedMessage\":\"stopping: letting running reconciles finish\""));
    assertThat(lines).anyMatch(l -> l.contains("\"formattedMessage\":\"stopped\""));
    assertThat(lines).as("a reconcile that changes something logs one line, with the resource in the MDC")
        .anyMatch(l -> l.contains("created instance emoji-") && l.contains("\"resource.name\":\"emoji\"")
            && l.contains("\"resource.namespace\":\"proc\""));
  }
}
