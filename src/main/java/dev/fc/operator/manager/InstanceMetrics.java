package dev.fc.operator.manager;

import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.reconciler.InstanceFromPod;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code fc_instances{phase=...}}: the instances in each phase, counted from the operator's pod cache at
 * scrape time, so deleted FunctionInstances leave no stale series and nothing is kept between scrapes.
 */
public final class InstanceMetrics {
  public static final String NAME = "fc_instances";

  private InstanceMetrics() {}

  public static void register(MeterRegistry registry, Supplier<Stream<Pod>> pods) {
    for (InstancePhase phase : InstancePhase.values()) {
      Gauge.builder(NAME, () -> pods.get().map(InstanceFromPod::read).filter(i -> i.phase() == phase).count())
          .description("Function instances (pods) by phase")
          .tag("phase", phase.name())
          .register(registry);
    }
  }
}
