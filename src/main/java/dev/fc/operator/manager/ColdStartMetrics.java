package dev.fc.operator.manager;

import dev.fc.operator.api.ColdStart;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.InstanceStatus;
import dev.fc.operator.reconciler.StatusListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * {@code fc_instance_cold_start_seconds{phase=...}}: a histogram of the phases of instances' starts, as their
 * runtimes measured them ({@link ColdStart}): {@code initializer_start} (container start → Initializer start),
 * {@code initializer} (its duration), {@code ready} (its end → Ready). Each instance counts once, when its
 * status first carries them: the status is the memory, so neither a later reconcile nor a restarted operator
 * (which reads the status back) counts it again.
 */
public final class ColdStartMetrics implements StatusListener {
  public static final String NAME = "fc_instance_cold_start";

  /** Buckets from a fast readiness (10 ms) to a long Initializer (1 h): 16 series per phase, not 70. */
  static final Duration[] BUCKETS = LongStream.of(10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
      60_000, 300_000, 600_000, 3_600_000).mapToObj(Duration::ofMillis).toArray(Duration[]::new);

  /** The phases, each a tag value, its description, and where the status holds it. */
  private enum Phase {
    INITIALIZER_START("initializer_start", "Container start to the Initializer's start",
        ColdStart::getInitializerStartMs),
    INITIALIZER("initializer", "The Initializer's duration, loading the code included", ColdStart::getInitializerMs),
    READY("ready", "The Initializer's end to the instance's Ready", ColdStart::getReadyAfterInitializerMs);

    final String tag;
    final String description;
    final Function<ColdStart, Long> millis;

    Phase(String tag, String description, Function<ColdStart, Long> millis) {
      this.tag = tag;
      this.description = description;
      this.millis = millis;
    }
  }

  private final Map<Phase, Timer> byPhase = new EnumMap<>(Phase.class);

  public ColdStartMetrics(MeterRegistry registry) {
    for (Phase phase : Phase.values()) {
      byPhase.put(phase, Timer.builder(NAME)
          .description("Phases of function instances' cold starts, as the runtime measured them: "
              + phase.description)
          .tag("phase", phase.tag)
          .serviceLevelObjectives(BUCKETS)
          .register(registry));
    }
  }

  @Override
  public void computed(FunctionInstance fi, FunctionInstanceStatus previous, FunctionInstanceStatus status) {
    Map<String, ColdStart> before = byPod(previous);
    for (InstanceStatus instance : instances(status)) {
      ColdStart now = instance.getColdStart();
      if (now != null && before.get(instance.getPodName()) == null) {
        byPhase.forEach((phase, timer) -> {
          Long millis = phase.millis.apply(now);
          if (millis != null && millis >= 0) {
            timer.record(Duration.ofMillis(millis));
          }
        });
      }
    }
  }

  private static List<InstanceStatus> instances(FunctionInstanceStatus status) {
    return status == null || status.getInstanceStatuses() == null ? List.of() : status.getInstanceStatuses();
  }

  private static Map<String, ColdStart> byPod(FunctionInstanceStatus status) {
    return instances(status).stream().filter(i -> i.getPodName() != null && i.getColdStart() != null)
        .collect(Collectors.toMap(InstanceStatus::getPodName, InstanceStatus::getColdStart, (a, b) -> a));
  }
}
