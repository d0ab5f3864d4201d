package dev.fc.operator.kube.bench;

import dev.fc.operator.kube.KubeTier;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One run at one N on one tier: P2 (operator and bare client, in turns which goes first), P3 (heap per function,
 * every code size), P6 (etcd bytes) and P7 (restart), in fresh namespaces that are deleted at the end.
 */
final class ScaleRun {
  private static final Duration QUIET = Duration.ofSeconds(3);

  private final KubeTier tier;
  private final ScaleSettings settings;
  private final int n;
  private final AuditLog audit;
  private final Etcd etcd;
  private final Path kubeconfig;
  private final Duration deadline;
  private final KubernetesClient user;
  private final KubernetesClient bare;
  private final String label;
  /** Even runs start with the bare client, odd ones with the operator: neither side always meets a colder server. */
  private final boolean bareFirst;

  ScaleRun(KubeTier tier, ScaleSettings settings, int n, int run, Path kubeconfig) {
    this.tier = tier;
    this.settings = settings;
    this.n = n;
    this.audit = new AuditLog(tier.auditLog());
    this.etcd = new Etcd(tier.etcdUrl());
    this.kubeconfig = kubeconfig;
    this.deadline = ScaleSettings.deadline(n);
    this.user = tier.userClient(BenchTier.USER);
    this.bare = tier.userClient(BenchTier.BARE);
    this.label = "n" + n + "-run" + run;
    this.bareFirst = run % 2 == 0;
  }

  /** Writes the operator's kubeconfig (its own user) to a private temporary file. */
  static Path operatorKubeconfig(KubeTier tier) {
    try {
      Path file = Files.createTempFile("fc-operator-bench-", ".kubeconfig");
      file.toFile().deleteOnExit();
      Files.writeString(file, tier.kubeconfig(BenchTier.OPERATOR));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ScaleResult run() {
    ScaleResult.Builder result = new ScaleResult.Builder(n);
    try (Namespaces namespaces = new Namespaces(tier, deadline)) {
      Functions functions = new Functions(settings.codeSizes().get(0));
      String opNs = namespaces.create("scale-op");
      String bareNs = namespaces.create("scale-bare");
      String opWarmNs = namespaces.create("scale-op-warm");
      String bareWarmNs = namespaces.create("scale-bare-warm");
      result.bareFirst(bareFirst);
      if (bareFirst) {
        bareSide(bareNs, bareWarmNs, functions, result);
        operatorSide(opNs, opWarmNs, functions, result);
      } else {
        operatorSide(opNs, opWarmNs, functions, result);
        bareSide(bareNs, bareWarmNs, functions, result);
      }
      Map<String, Map<String, Etcd.Usage>> usage = etcd.usageByNamespace(Set.of(opNs, bareNs));
      result.usage(usage.get(opNs), usage.get(bareNs), functions.codeBytes());
      for (int codeBytes : settings.codeSizes()) {
        result.heap(codeBytes, heapOnly(namespaces.create("scale-heap"), new Functions(codeBytes)));
      }
    }
    return result.build();
  }

  /**
   * P2 through one operator process, which first converges the warm-up's functions in a namespace of its own; P6's
   * database growth, then P7 with a second process.
   */
  private void operatorSide(String namespace, String warmNamespace, Functions functions, ScaleResult.Builder result) {
    long mark;
    Instant from;
    Instant to;
    long dbBefore;
    try (OperatorProcess operator = startOperator(namespace + "," + warmNamespace, "converge")) {
      operator.awaitQuiet(QUIET, deadline);
      if (settings.warmup() > 0) {
        createThroughOperator(warmNamespace, functions, 0, settings.warmup());
        awaitEndpoints(warmNamespace, settings.warmup());
        operator.awaitQuiet(QUIET, deadline);
      }
      dbBefore = etcd.compactedSize();
      mark = audit.mark();
      from = Instant.now();
      ScaleResult.CpuUse cpu = cpuUse(operator.cpuSeconds());
      long started = System.nanoTime();
      long converged = createThroughOperator(namespace, functions, 0, n);
      result.operatorSeconds((converged - started) / 1e9);
      result.operatorCpu(cpuUse(operator.cpuSeconds()).minus(cpu));
      operator.awaitQuiet(QUIET, deadline);
      to = Instant.now();
    }
    Map<String, RequestCounts> requests = audit.since(mark, from, to); // the operator's watches have ended
    result.operatorRequests(requests.getOrDefault(BenchTier.OPERATOR, RequestCounts.NONE));
    result.userRequests(requests.getOrDefault(BenchTier.USER, RequestCounts.NONE));
    result.endpointsComplete(awaitEndpoints(namespace, n));
    result.operatorDbBytesPerFunction((etcd.compactedSize() - dbBefore) / (double) n);
    restart(namespace, result);
  }

  /** P2's bare client after its warm-up in a namespace of its own, and its database growth. */
  private void bareSide(String namespace, String warmNamespace, Functions functions, ScaleResult.Builder result) {
    if (settings.warmup() > 0) {
      createBare(warmNamespace, functions, settings.warmup());
      awaitEndpoints(warmNamespace, settings.warmup());
    }
    long dbBefore = etcd.compactedSize();
    long mark = audit.mark();
    Instant from = Instant.now();
    ScaleResult.CpuUse cpu = cpuUse(0);
    long started = System.nanoTime();
    createBare(namespace, functions, n);
    result.bareSeconds((System.nanoTime() - started) / 1e9);
    result.bareCpu(cpuUse(0).minus(cpu));
    result.bareRequests(audit.since(mark, from, Instant.now()).getOrDefault(BenchTier.BARE, RequestCounts.NONE));
    awaitEndpoints(namespace, n);
    result.bareDbBytesPerFunction((etcd.compactedSize() - dbBefore) / (double) n);
  }

  /** CPU seconds used so far by the control plane and this JVM, with the operator's figure given. */
  private ScaleResult.CpuUse cpuUse(double operatorSeconds) {
    return new ScaleResult.CpuUse(Cpu.seconds(tier.componentProcesses()), Cpu.seconds(Cpu.self()), operatorSeconds);
  }

  private OperatorProcess startOperator(String namespace, String what) {
    OperatorProcess operator = OperatorProcess.start(settings.operatorJar(), kubeconfig, namespace,
        settings.operatorJvm(), tier.logDir().resolve("operator-" + label + "-" + what + ".log"));
    operator.awaitReady(Duration.ofMinutes(2));
    return operator;
  }

  /** The operator's heap after GC once it has not reconciled for {@link #QUIET}. */
  private long quietHeap(OperatorProcess operator) {
    operator.awaitQuiet(QUIET, deadline);
    return operator.heapAfterGc();
  }

  /**
   * Creates functions {@code from} to {@code to} (exclusive) as their user would, {@code threads} at a time; returns
   * when the watch saw the namespace's first {@code to} converge.
   */
  private long createThroughOperator(String namespace, Functions functions, int from, int to) {
    try (ConvergenceWatch watch = new ConvergenceWatch(tier.adminClient(), namespace, to)) {
      Parallel.run(to - from, settings.threads(), deadline,
          i -> user.resource(functions.function(namespace, from + i)).create());
      return watch.awaitConverged(deadline);
    }
  }

  private void createBare(String namespace, Functions functions, int count) {
    BareClient client = new BareClient(bare);
    String runtime = settings.bareRuntimePerFunction() ? null : client.createRuntimeConfigMap(namespace);
    Parallel.run(count, settings.threads(), deadline, i -> client.create(functions.function(namespace, i), runtime));
  }

  /**
   * P7: a new operator process against the converged namespace; the time from its start until it has reconciled N
   * times (each FunctionInstance once, from its informers' initial list), and its writes until it is quiet.
   */
  private void restart(String namespace, ScaleResult.Builder result) {
    long mark = audit.mark();
    Instant from = Instant.now();
    double toAll;
    double toQuiet;
    Instant to;
    try (OperatorProcess operator = startOperator(namespace, "restart")) {
      Poll.until(n + " reconciles after the restart", deadline, Duration.ofMillis(100),
          () -> operator.reconciled() >= n);
      toAll = (System.nanoTime() - operator.startedNanos()) / 1e9;
      toQuiet = (operator.awaitQuiet(QUIET, deadline) - operator.startedNanos()) / 1e9;
      to = Instant.now();
    }
    // read once the process has stopped: its watches' audit events are written when they end
    result.restart(toAll, toQuiet, audit.since(mark, from, to).getOrDefault(BenchTier.OPERATOR, RequestCounts.NONE));
  }

  /**
   * P3 for one code size, in an operator process of its own: the heap with no function, with the first half and with
   * all N (the second half's growth is the marginal cost of a function, without what the first ones paid once), and
   * that growth by class in the log directory ({@code heap-growth-*.md}).
   */
  private ScaleResult.Heap heapOnly(String namespace, Functions functions) {
    try (OperatorProcess operator = startOperator(namespace, "heap-" + functions.codeBytes())) {
      long empty = quietHeap(operator);
      int half = n / 2;
      createThroughOperator(namespace, functions, 0, half);
      long atHalf = quietHeap(operator);
      ClassHistogram histogramAtHalf = operator.classHistogram();
      createThroughOperator(namespace, functions, half, n);
      long atN = quietHeap(operator);
      writeHistogramGrowth(functions.codeBytes(), operator.classHistogram().growthTable(histogramAtHalf, n - half, 40));
      return new ScaleResult.Heap(empty, half, atHalf, atN);
    }
  }

  private void writeHistogramGrowth(int codeBytes, String table) {
    Path file = tier.logDir().resolve("heap-growth-" + label + "-" + codeBytes + ".md");
    try {
      Files.writeString(file, "Heap growth per function from N/2 to N = " + n + ", " + codeBytes
          + " B of inline code (jcmd GC.class_histogram)\n\n" + table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * kube-controller-manager's endpoints and endpointslice controllers write one object per Service, at their
   * default 20 requests a second: wait (within the deadline) until both exist for every function, so P6 counts
   * them and the next step does not share the server with their writes. Returns whether they all came.
   */
  private boolean awaitEndpoints(String namespace, int functions) {
    KubernetesClient admin = tier.adminClient();
    return Poll.within(deadline, Duration.ofSeconds(1), () -> Namespaces.endpoints(admin, namespace) >= functions
        && Namespaces.endpointSlices(admin, namespace) >= functions);
  }
}
