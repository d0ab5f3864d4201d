package dev.fc.operator.kube.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one run at one N.
 *
 * @param heap inline code bytes to the operator's heap with 0 and with N functions (P3)
 * @param operatorUsage resource to etcd keys and bytes in the operator's namespace (P6)
 * @param endpointsComplete whether every Service had its Endpoints and EndpointSlice when P6 was read
 */
record ScaleResult(int n, double operatorSeconds, double bareSeconds, RequestCounts operatorRequests,
    RequestCounts userRequests, RequestCounts bareRequests, Map<Integer, Heap> heap,
    double operatorDbBytesPerFunction, double bareDbBytesPerFunction, Map<String, Etcd.Usage> operatorUsage,
    Map<String, Etcd.Usage> bareUsage, int codeBytes, boolean endpointsComplete, double restartSeconds,
    double restartQuietSeconds, RequestCounts restartRequests, boolean bareFirst, double seconds, CpuUse operatorCpu,
    CpuUse bareCpu) {

  /** CPU seconds used during one side's P2 window: the control plane's processes, the benchmark's JVM, the operator. */
  record CpuUse(double controlPlane, double benchJvm, double operator) {
    static final CpuUse NONE = new CpuUse(0, 0, 0);

    CpuUse minus(CpuUse before) {
      return new CpuUse(controlPlane - before.controlPlane, benchJvm - before.benchJvm, operator - before.operator);
    }
  }

  /** The operator's heap after GC, in bytes, with no function, with the first {@code half} and with N converged. */
  record Heap(long empty, int half, long atHalf, long converged) {
    /** The heap's growth from 0 to N functions, per function: fixed costs (first reconciles, buffers) included. */
    double kibPerFunction(int n) {
      return (converged - empty) / 1024.0 / n;
    }

    /** The growth from the first half to N, per function: what one more function costs. */
    double marginalKibPerFunction(int n) {
      return (converged - atHalf) / 1024.0 / (n - half);
    }
  }

  /** The resources that make a function's own objects, besides its code: the limit of P6. */
  static final List<String> OWN = List.of("fc.dev/functioninstances", "pods", "services/specs");

  double ratio() {
    return operatorSeconds / bareSeconds;
  }

  /** Every stored byte of the operator's namespace, per function. */
  double storedBytesPerFunction() {
    return operatorUsage.values().stream().mapToLong(Etcd.Usage::valueBytes).sum() / (double) n;
  }

  /** The code's bytes plus the function's FunctionInstance, pod and Service as stored. */
  double limitBytesPerFunction() {
    return codeBytes + OWN.stream().mapToLong(r -> operatorUsage.getOrDefault(r, new Etcd.Usage(0, 0)).valueBytes())
        .sum() / (double) n;
  }

  double storageRatio() {
    return storedBytesPerFunction() / limitBytesPerFunction();
  }

  static final class Builder {
    private final int n;
    private double operatorSeconds;
    private double bareSeconds;
    private RequestCounts operatorRequests = RequestCounts.NONE;
    private RequestCounts userRequests = RequestCounts.NONE;
    private RequestCounts bareRequests = RequestCounts.NONE;
    private final Map<Integer, Heap> heap = new TreeMap<>();
    private final long startedNanos = System.nanoTime();
    private double operatorDb;
    private double bareDb;
    private Map<String, Etcd.Usage> operatorUsage = Map.of();
    private Map<String, Etcd.Usage> bareUsage = Map.of();
    private int codeBytes;
    private boolean endpointsComplete;
    private double restartSeconds;
    private double restartQuietSeconds;
    private RequestCounts restartRequests = RequestCounts.NONE;
    private boolean bareFirst;
    private CpuUse operatorCpu = CpuUse.NONE;
    private CpuUse bareCpu = CpuUse.NONE;

    Builder(int n) {
      this.n = n;
    }

    void operatorSeconds(double s) {
      operatorSeconds = s;
    }

    void bareSeconds(double s) {
      bareSeconds = s;
    }

    void operatorRequests(RequestCounts r) {
      operatorRequests = r;
    }

    void userRequests(RequestCounts r) {
      userRequests = r;
    }

    void bareRequests(RequestCounts r) {
      bareRequests = r;
    }

    void heap(int codeBytes, Heap figure) {
      heap.put(codeBytes, figure);
    }

    void operatorDbBytesPerFunction(double b) {
      operatorDb = b;
    }

    void bareDbBytesPerFunction(double b) {
      bareDb = b;
    }

    void usage(Map<String, Etcd.Usage> operator, Map<String, Etcd.Usage> bare, int code) {
      operatorUsage = operator;
      bareUsage = bare;
      codeBytes = code;
    }

    void endpointsComplete(boolean complete) {
      endpointsComplete = complete;
    }

    void restart(double toAllReconciled, double toQuiet, RequestCounts requests) {
      restartSeconds = toAllReconciled;
      restartQuietSeconds = toQuiet;
      restartRequests = requests;
    }

    void operatorCpu(CpuUse use) {
      operatorCpu = use;
    }

    void bareCpu(CpuUse use) {
      bareCpu = use;
    }

    void bareFirst(boolean first) {
      bareFirst = first;
    }

    ScaleResult build() {
      return new ScaleResult(n, operatorSeconds, bareSeconds, operatorRequests, userRequests, bareRequests,
          Map.copyOf(heap), operatorDb, bareDb, operatorUsage, bareUsage, codeBytes, endpointsComplete,
          restartSeconds, restartQuietSeconds, restartRequests, bareFirst, (System.nanoTime() - startedNanos) / 1e9,
          operatorCpu, bareCpu);
    }
  }
}
