package dev.fc.operator.manager;

import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.RuntimeFiles;
import dev.fc.operator.reconciler.EventRecorder;
import dev.fc.operator.reconciler.FunctionInstanceReconciler;
import dev.fc.operator.reconciler.InstanceWriter;
import dev.fc.operator.reconciler.CachePruning;
import dev.fc.operator.reconciler.OwnedResources;
import dev.fc.operator.reconciler.PruningItemStore;
import dev.fc.operator.reconciler.WriteGate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** Assembles the operator: one controller, FunctionInstances, on the given client. Used by {@code run} and tests. */
public final class FcOperator {
  /** Failed reconciles (API errors) are retried from 1 s, doubling to 5 min, without end. */
  static final GenericRetry RETRY = new GenericRetry()
      .setInitialInterval(1000).setIntervalMultiplier(2).setMaxInterval(300_000).withoutMaxAttempts();
  /** How long a stopping operator lets running reconciles finish. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private FcOperator() {}

  public static Operator create(KubernetesClient client, ManagerSettings options, Clock clock) {
    return create(client, options, clock, new SimpleMeterRegistry());
  }

  public static Operator create(KubernetesClient client, ManagerSettings options, Clock clock,
      MeterRegistry registry) {
    return create(client, options, clock, registry, new Leadership());
  }

  /**
   * @param registry receives java-operator-sdk's reconcile metrics, {@link InstanceMetrics} and
   *     {@link ColdStartMetrics}
   * @param leadership follows this replica's Lease when leader election is on
   */
  public static Operator create(KubernetesClient client, ManagerSettings options, Clock clock,
      MeterRegistry registry, Leadership leadership) {
    WriteGate gate = new WriteGate();
    Operator operator = new GatedOperator(gate, o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(options.serverSideApply())
          .withReconciliationTerminationTimeout(STOP_TIMEOUT)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      options.leaderElection().ifPresent(election -> {
        var builder = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(election.leaseName())
            .withExitOnStopLeading(election.exitOnLoss())
            .withLeaderCallbacks(leadership.callbacks());
        election.namespace().ifPresent(builder::withLeaseNamespace);
        o.withLeaderElectionConfiguration(builder.build());
      });
    });
    EventRecorder events = new EventRecorder(client, clock);
    var reconciler = new FunctionInstanceReconciler(
        new DesiredStateBuilder(options.config(), RuntimeFiles.load()),
        options.reconcilerSettings(),
        clock,
        new InstanceWriter(client),
        new OwnedResources(client, events),
        events,
        new ColdStartMetrics(registry),
        gate);
    operator.register(reconciler, c -> {
      c.withName("functioninstance").withRetry(RETRY).withFieldManager("fc-operator")
          .withItemStore(new PruningItemStore<>(CachePruning::functionInstance));
      if (options.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(options.namespaces());
      }
    });
    InstanceMetrics.register(registry, reconciler::cachedInstancePods);
    return operator;
  }

  /** An operator whose stop closes the reconciler's {@link WriteGate} first, however it is stopped. */
  private static final class GatedOperator extends Operator {
    private final WriteGate gate;

    GatedOperator(WriteGate gate, Consumer<ConfigurationServiceOverrider> overrider) {
      super(overrider);
      this.gate = gate;
    }

    @Override
    public void stop() {
      gate.close();
      super.stop();
    }
  }
}
