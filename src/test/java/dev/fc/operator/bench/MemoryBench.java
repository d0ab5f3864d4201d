package dev.fc.operator.bench;

import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.DesiredState;
import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.desired.InstanceSettings;
import dev.fc.operator.desired.RuntimeFiles;
import dev.fc.operator.manager.FcOperator;
import dev.fc.operator.manager.ManagerSettings;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * P3: the operator's heap per instance with 10,000 FunctionInstances (1 instance each) and all their
 * objects in its caches. The objects are what the operator creates (a runtime ConfigMap of some 40 KB
 * each, an inline-code ConfigMap, a Service, a pod) plus what a kubelet and an API server add to a pod
 * (status, managedFields). Measured as the heap retained after GC while the operator runs and has
 * converged, minus the heap after it stopped (same server contents). Goal: at most 12 KiB per instance.
 */
@EnableKubernetesMockClient(crud = true)
class MemoryBench {
  static KubernetesClient client;
  static final int FUNCTIONS = Integer.getInteger("bench.functions", 10_000);
  static final String NAMESPACE = "mem";

  @Test
  void heapPerInstance() throws Exception {
    BenchReport report = new BenchReport("p3-memory");
    report.line("machine: %s", BenchReport.machine());
    long populate = System.nanoTime();
    populate();
    report.line("%d functions with their objects in the mock server (%.0f s)", FUNCTIONS,
        (System.nanoTime() - populate) / 1e9);

    List<Double> perInstance = new ArrayList<>();
    for (int run = 1; run <= 5; run++) {
      long started = System.nanoTime();
      long running = runConvergeAndMeasure();
      double converge = (System.nanoTime() - started) / 1e9;
      long stopped = settledHeap(); // the operator, its caches and its meters are unreachable now
      histogram("stopped");
      double kib = (running - stopped) / 1024.0 / FUNCTIONS;
      perInstance.add(kib);
      report.line("run %d: %.0f s; heap with the operator %d MiB, after it stopped %d MiB: %.2f KiB per instance",
          run, converge, running >> 20, stopped >> 20, kib);
    }
    report.line("operator heap per instance: %s KiB (goal <= 12; ratio to goal %.2f)",
        Stats.of(perInstance), Stats.of(perInstance).median() / 12);
    report.write();
  }

  /** Starts an operator, waits until it reconciled every function, reads the heap, stops it. */
  private static long runConvergeAndMeasure() throws InterruptedException {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Operator operator = FcOperator.create(client, ManagerSettings.defaults().withServerSideApply(false)
        .withNamespaces(Set.of(NAMESPACE)), Clock.systemUTC(), metrics);
    operator.start();
    try {
      // every resource reconciled once (the first run writes every status; later runs find them current)
      Await.until("every function reconciled", () -> reconciles(metrics) >= FUNCTIONS, Duration.ofMinutes(20));
      // then quiet: no reconcile for 2 s, so nothing in flight is counted
      double[] last = {-1};
      long[] quietSince = {System.nanoTime()};
      Await.until("quiet", () -> {
        double now = reconciles(metrics);
        if (now != last[0]) {
          last[0] = now;
          quietSince[0] = System.nanoTime();
        }
        return System.nanoTime() - quietSince[0] > 2_000_000_000L;
      }, Duration.ofMinutes(5));
      long heap = settledHeap();
      histogram("running");
      return heap;
    } finally {
      operator.stop();
    }
  }

  /** With -Dbench.histogram=true: the heap's class histogram, to see what an instance costs. */
  private static void histogram(String when) {
    if (!Boolean.getBoolean("bench.histogram")) {
      return;
    }
    try {
      java.nio.file.Files.createDirectories(java.nio.file.Path.of("target/bench"));
      new ProcessBuilder("jcmd", String.valueOf(ProcessHandle.current().pid()), "GC.class_histogram")
          .redirectOutput(java.nio.file.Path.of("target/bench/p3-histogram-" + when + ".txt").toFile())
          .start().waitFor();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double reconciles(SimpleMeterRegistry metrics) {
    return metrics.find("operator.sdk.reconciliations.success").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** The heap in use after full collections, once two readings in a row agree within 1 MiB. */
  private static long settledHeap() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(used - last) < (1 << 20)) {
        return used;
      }
      last = used;
    }
    return last;
  }

  /** What the operator would have created, plus the kubelet's status and managedFields on each pod. */
  private static void populate() throws InterruptedException {
    DesiredStateBuilder builder = new DesiredStateBuilder(InstanceSettings.defaults(), RuntimeFiles.load());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    IntStream.range(0, FUNCTIONS).forEach(i -> pool.submit(() -> {
      FunctionInstance fi = Fixtures.function("f" + i);
      fi.setMetadata(new ObjectMetaBuilder().withName("f" + i).withNamespace(NAMESPACE).build());
      FunctionInstance created = client.resource(fi).create();
      DesiredState desired = builder.build(created);
      desired.configMaps().forEach(cm -> client.resource(cm).create());
      client.resource(desired.service()).create();
      client.resource(kubeletView(desired.podTemplate(), i)).create();
    }));
    pool.shutdown();
    if (!pool.awaitTermination(20, TimeUnit.MINUTES)) {
      throw new AssertionError("populating the mock server took too long");
    }
  }

  private static FieldsV1 fields(Map<String, ?> fields) {
    FieldsV1 v1 = new FieldsV1();
    fields.forEach(v1::setAdditionalProperty);
    return v1;
  }

  private static Pod kubeletView(Pod template, int i) {
    String now = Instant.now().toString();
    return new PodBuilder(template)
        .editMetadata()
        .withName(template.getMetadata().getGenerateName() + i)
        .withManagedFields(
            new ManagedFieldsEntryBuilder().withManager("fc-operator").withOperation("Update")
                .withApiVersion("v1").withTime(now).withFieldsType("FieldsV1")
                .withFieldsV1(fields(Map.of("f:metadata", Map.of("f:labels", Map.of(
                    "f:fc.dev/function", Map.of(), "f:fc.dev/template-hash", Map.of())),
                    "f:spec", Map.of("f:containers", Map.of("k:{\"name\":\"function\"}", Map.of(
                        "f:env", Map.of(), "f:image", Map.of(), "f:startupProbe", Map.of(),
                        "f:readinessProbe", Map.of(), "f:lifecycle", Map.of(), "f:resources", Map.of())))))).build(),
            new ManagedFieldsEntryBuilder().withManager("kubelet").withOperation("Update")
                .withApiVersion("v1").withTime(now).withFieldsType("FieldsV1").withSubresource("status")
                .withFieldsV1(fields(Map.of("f:status", Map.of("f:conditions", Map.of(),
                    "f:containerStatuses", Map.of(), "f:hostIP", Map.of(), "f:phase", Map.of(),
                    "f:podIP", Map.of(), "f:podIPs", Map.of(), "f:startTime", Map.of())))).build())
        .endMetadata()
        .withStatus(new PodStatusBuilder().withPhase("Running").withHostIP("10.0.0.1").withPodIP("10.1.0." + (i % 250))
            .withStartTime(now).withQosClass("Burstable")
            .addNewCondition().withType("Initialized").withStatus("True").withLastTransitionTime(now).endCondition()
            .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(now).endCondition()
            .addNewCondition().withType("ContainersReady").withStatus("True").withLastTransitionTime(now).endCondition()
            .addNewCondition().withType("PodScheduled").withStatus("True").withLastTransitionTime(now).endCondition()
            .withContainerStatuses(new ContainerStatusBuilder().withName("function").withStarted(true).withReady(true)
                .withImage("python:3.10-slim").withImageID("docker.io/library/python@sha256:" + "0".repeat(64))
                .withContainerID("containerd://" + "a".repeat(64)).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(now).endRunning().endState().build())
            .build())
        .build();
  }

}
