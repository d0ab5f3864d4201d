package dev.fc.operator.manager;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.elastic.ScalingDecision;
import dev.fc.operator.elastic.ScalingReason;
import dev.fc.operator.reconciler.StatusListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The leader's elastic counters: {@code fc_elastic_cold_starts_total} (instances added because invocations needed
 * them) and {@code fc_elastic_reclaimed_total} (instances deleted for idleness), per function.
 */
public final class ElasticMetrics implements StatusListener {
  public static final String COLD_STARTS = "fc_elastic_cold_starts";
  public static final String RECLAIMED = "fc_elastic_reclaimed";

  private final MeterRegistry registry;

  public ElasticMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void computed(FunctionInstance fi, FunctionInstanceStatus previous, FunctionInstanceStatus status) {}

  @Override
  public void scaled(FunctionInstance fi, Integer previousDesired, ScalingDecision decision) {
    int before = previousDesired == null ? decision.desired() : previousDesired;
    if (decision.reason() == ScalingReason.Demand && decision.desired() > before) {
      counter(COLD_STARTS, "Instances created because invocations needed them", fi).increment(decision.desired() - before);
    }
    if (!decision.reclaim().isEmpty()) {
      counter(RECLAIMED, "Instances deleted after idleTimeout without an invocation", fi)
          .increment(decision.reclaim().size());
    }
  }

  private Counter counter(String name, String description, FunctionInstance fi) {
    return Counter.builder(name).description(description)
        .tag("namespace", fi.getMetadata().getNamespace()).tag("function", fi.getMetadata().getName())
        .register(registry);
  }
}
