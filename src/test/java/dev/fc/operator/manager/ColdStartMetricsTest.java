package dev.fc.operator.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.ColdStart;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.InstanceStatus;
import dev.fc.operator.desired.Fixtures;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ColdStartMetricsTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ColdStartMetrics metrics = new ColdStartMetrics(registry);

  @Test
  void eachInstanceCountsOnceWhenItsStatusFirstCarriesThePhases() {
    FunctionInstanceStatus none = status(instance("a", null));
    FunctionInstanceStatus known = status(instance("a", new ColdStart(40L, 1000L, 500L)));
    metrics.computed(Fixtures.function("f"), null, none);
    assertThat(timer("ready").count()).isZero();

    metrics.computed(Fixtures.function("f"), none, known);
    metrics.computed(Fixtures.function("f"), known, known); // a later reconcile
    assertThat(timer("initializer_start").count()).isEqualTo(1);
    assertThat(timer("initializer").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1000);
    assertThat(timer("ready").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(500);

    // a restarted operator reads the status back: nothing counts again; a new instance does
    new ColdStartMetrics(registry).computed(Fixtures.function("f"), known, known);
    metrics.computed(Fixtures.function("f"), known,
        status(instance("a", new ColdStart(40L, 1000L, 500L)), instance("b", new ColdStart(30L, 900L, null))));
    assertThat(timer("initializer_start").count()).isEqualTo(2);
    assertThat(timer("ready").count()).as("b never turned ready: that phase is not recorded").isEqualTo(1);
  }

  @Test
  void metricsServesThePhasesAsAPrometheusHistogramInSeconds() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ColdStartMetrics(prometheus).computed(Fixtures.function("f"), null,
        status(instance("a", new ColdStart(40L, 1000L, 500L))));
    String scrape = prometheus.scrape();
    assertThat(scrape)
        .contains("fc_instance_cold_start_seconds_bucket{phase=\"ready\",le=\"0.25\"} 0")
        .contains("fc_instance_cold_start_seconds_bucket{phase=\"ready\",le=\"0.5\"} 1")
        .containsPattern("fc_instance_cold_start_seconds_count\\{phase=\"initializer\"} 1")
        .containsPattern("fc_instance_cold_start_seconds_sum\\{phase=\"initializer_start\"} 0\\.04");
  }

  private Timer timer(String phase) {
    return registry.get(ColdStartMetrics.NAME).tag("phase", phase).timer();
  }

  private static InstanceStatus instance(String pod, ColdStart coldStart) {
    InstanceStatus instance = new InstanceStatus();
    instance.setPodName(pod);
    instance.setColdStart(coldStart);
    return instance;
  }

  private static FunctionInstanceStatus status(InstanceStatus... instances) {
    FunctionInstanceStatus status = new FunctionInstanceStatus();
    status.setInstanceStatuses(Arrays.asList(instances));
    return status;
  }
}
