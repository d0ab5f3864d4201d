package dev.fc.operator.bench;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.desired.DesiredState;
import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.desired.InstanceSettings;
import dev.fc.operator.desired.RuntimeFiles;
import dev.fc.operator.manager.FcOperator;
import dev.fc.operator.manager.ManagerSettings;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * P2: 1,000 FunctionInstances (1 instance each) created at once; the time until every pod exists and
 * every status is written. In the same run, on the same mock server, a bare fabric8 client loop creates
 * the same objects (the FunctionInstance, its 2 ConfigMaps, its Service and its pod, and writes its
 * status). Goal: the operator takes at most 1.5 times as long.
 */
@EnableKubernetesMockClient(crud = true)
class ThroughputBench {
  static KubernetesClient client;
  static final int FUNCTIONS = 1000;
  static final int RUNS = 5;

  @Test
  void operatorAgainstABareClientLoop() {
    BenchReport report = new BenchReport("p2-throughput");
    report.line("machine: %s", BenchReport.machine());
    Set<String> operatorNamespaces = IntStream.rangeClosed(1, RUNS).mapToObj(run -> "op" + run)
        .collect(Collectors.toSet());
    Operator operator = FcOperator.create(client, ManagerSettings.defaults().withServerSideApply(false)
        .withNamespaces(operatorNamespaces), Clock.systemUTC());
    operator.start();
    DesiredStateBuilder builder = new DesiredStateBuilder(InstanceSettings.defaults(), RuntimeFiles.load());
    List<Double> operatorSeconds = new ArrayList<>();
    List<Double> bareSeconds = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    try {
      for (int run = 1; run <= RUNS; run++) {
        double bare = bareLoop("bare" + run, builder);
        clear("bare" + run);
        double viaOperator = throughOperator("op" + run);
        clear("op" + run);
        operatorSeconds.add(viaOperator);
        bareSeconds.add(bare);
        ratios.add(viaOperator / bare);
        report.line("run %d: operator %.2f s, bare loop %.2f s, ratio %.2f", run, viaOperator, bare, viaOperator / bare);
      }
    } finally {
      operator.stop();
    }
    report.line("operator: %s s", Stats.of(operatorSeconds));
    report.line("bare loop: %s s", Stats.of(bareSeconds));
    report.line("ratio: %s (goal <= 1.5; ratio to goal %.2f)", Stats.of(ratios),
        Stats.of(ratios).median() / 1.5);
    report.write();
  }

  private static FunctionInstance function(String namespace, int i) {
    FunctionInstance fi = Fixtures.function("f" + i);
    fi.setMetadata(new ObjectMetaBuilder().withName("f" + i).withNamespace(namespace).build());
    return fi;
  }

  private double throughOperator(String namespace) {
    long start = System.nanoTime();
    for (int i = 0; i < FUNCTIONS; i++) {
      client.resource(function(namespace, i)).create();
    }
    pollEvery250ms(() -> client.resources(FunctionInstance.class).inNamespace(namespace).list()
        .getItems().stream().filter(fi -> fi.getStatus() != null && Integer.valueOf(1).equals(fi.getStatus()
            .getInstances())).count() == FUNCTIONS
        && client.pods().inNamespace(namespace).list().getItems().size() == FUNCTIONS);
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Completion is checked four times a second, not more: listing 1,000 resources loads the same server
   * the operator works against. The figure is thus up to 0.25 s late.
   */
  private static void pollEvery250ms(java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not converged within 5 minutes");
      }
      try {
        Thread.sleep(250); // the measuring interval
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Deletes a run's objects, so every run meets a server of the same size. */
  private static void clear(String namespace) {
    client.resources(FunctionInstance.class).inNamespace(namespace).delete();
    client.pods().inNamespace(namespace).delete();
    client.configMaps().inNamespace(namespace).delete();
    client.services().inNamespace(namespace).delete();
  }

  private double bareLoop(String namespace, DesiredStateBuilder builder) {
    long start = System.nanoTime();
    for (int i = 0; i < FUNCTIONS; i++) {
      FunctionInstance created = client.resource(function(namespace, i)).create();
      DesiredState desired = builder.build(created);
      desired.configMaps().forEach(cm -> client.resource(cm).create());
      client.resource(desired.service()).create();
      client.resource(new PodBuilder(desired.podTemplate()).editMetadata()
          .withName(desired.podTemplate().getMetadata().getGenerateName() + "x").endMetadata().build()).create();
      FunctionInstanceStatus status = new FunctionInstanceStatus();
      status.setInstances(1);
      status.setReady("0/1");
      created.setStatus(status);
      client.resource(created).patchStatus();
    }
    return (System.nanoTime() - start) / 1e9;
  }

}
