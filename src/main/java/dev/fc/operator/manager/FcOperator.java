package dev.fc.operator.manager;

import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.RuntimeFiles;
import dev.fc.operator.reconciler.EventRecorder;
import dev.fc.operator.reconciler.FunctionInstanceReconciler;
import dev.fc.operator.reconciler.InstanceWriter;
import dev.fc.operator.reconciler.CacheKeepingCloner;
import dev.fc.operator.reconciler.CachePruning;
import dev.fc.operator.reconciler.OwnedResources;
import dev.fc.operator.reconciler.PruningItemStore;
import dev.fc.operator.reconciler.StatusListener;
import dev.fc.operator.reconciler.WriteGate;
import dev.fc.operator.elastic.DemandSource;
import java.net.http.HttpClient;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the operator on the given client: a FunctionInstance controller for all namespaces, or one per watched
 * namespace. Used by {@code run} and tests.
 *
 * <p>One per namespace, not one controller over a namespace list: java-operator-sdk gives every namespace's informer
 * of a controller the same item store, so with {@link PruningItemStore} they would share one cache. A namespace's
 * listing then shows the others' objects, and its (re)list removes them (the informer keeps only what it listed):
 * another namespace's pods would vanish from the cache and be created again.
 */
public final class FcOperator {
  /** Failed reconciles (API errors) are retried from 1 s, doubling to 5 min, without end. */
  static final GenericRetry RETRY = new GenericRetry()
      .setInitialInterval(1000).setIntervalMultiplier(2).setMaxInterval(300_000).withoutMaxAttempts();
  /** How long a stopping operator lets running reconciles finish. */
  private static final Logger LOG = LoggerFactory.getLogger(FcOperator.class);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  /** How long one long poll of a gateway's demand waits for a change. */
  static final Duration DEMAND_POLL_WAIT = Duration.ofSeconds(20);

  /** The controller's name; with several namespaces, each one's is this name and the namespace. */
  static final String CONTROLLER = "functioninstance";
  /** The key of the reconciler that watches every namespace (no namespace is named so). */
  private static final String ALL_NAMESPACES = "*";

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
    GatedOperator operator = new GatedOperator(gate, o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withResourceCloner(new CacheKeepingCloner(client.getKubernetesSerialization()))
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
    Map<String, FunctionInstanceReconciler> byNamespace = new ConcurrentHashMap<>();
    GatewayDemandCollector demand = options.gateways().map(where -> {
      GatewayPods pods = GatewayPods.watch(client, where);
      operator.alongside(pods);
      return new GatewayDemandCollector(pods, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2)).build(), clock,
          (namespace, name) -> reconcilerOf(byNamespace, namespace).ifPresent(r -> r.demandChanged(namespace, name)),
          () -> !leadership.standby(),
          DEMAND_POLL_WAIT);
    }).orElse(null);
    DesiredStateBuilder builder = new DesiredStateBuilder(options.config(), RuntimeFiles.load());
    OwnedResources owned = new OwnedResources(client, events, clock);
    StatusListener listener = StatusListener.all(new ColdStartMetrics(registry), new ElasticMetrics(registry));
    List<String> namespaces = List.copyOf(new TreeSet<>(options.namespaces()));
    for (String namespace : namespaces.isEmpty() ? List.of(ALL_NAMESPACES) : namespaces) {
      var reconciler = new FunctionInstanceReconciler(builder, options.reconcilerSettings(), clock,
          new InstanceWriter(client), owned, events, listener, gate, demand == null ? DemandSource.NONE : demand);
      byNamespace.put(namespace, reconciler);
      operator.register(reconciler, c -> {
        c.withName(namespaces.size() > 1 ? CONTROLLER + "-" + namespace : CONTROLLER).withRetry(RETRY)
            .withFieldManager("fc-operator")
            .withItemStore(new PruningItemStore<>(CachePruning::functionInstance, reconciler::functionRemoved));
        if (namespace.equals(ALL_NAMESPACES)) {
          c.watchingAllNamespaces();
        } else {
          c.settingNamespaces(Set.of(namespace));
        }
      });
    }
    if (demand != null) {
      operator.alongside(demand);
      operator.onStart(demand::start);
    }
    InstanceMetrics.register(registry,
        () -> byNamespace.values().stream().flatMap(FunctionInstanceReconciler::cachedInstancePods));
    return operator;
  }

  /** The reconciler of {@code namespace}'s functions: its own, or the one of all namespaces. */
  private static Optional<FunctionInstanceReconciler> reconcilerOf(Map<String, FunctionInstanceReconciler> byNamespace,
      String namespace) {
    FunctionInstanceReconciler own = byNamespace.get(namespace);
    return Optional.ofNullable(own != null ? own : byNamespace.get(ALL_NAMESPACES));
  }

  /**
   * An operator whose stop closes the reconciler's {@link WriteGate} first, however it is stopped, and which
   * starts and closes what runs alongside it (the gateways' demand collector).
   */
  private static final class GatedOperator extends Operator {
    private final WriteGate gate;
    private final List<Runnable> starts = new ArrayList<>();
    private final List<AutoCloseable> companions = new ArrayList<>();

    GatedOperator(WriteGate gate, Consumer<ConfigurationServiceOverrider> overrider) {
      super(overrider);
      this.gate = gate;
    }

    void onStart(Runnable start) {
      starts.add(start);
    }

    void alongside(AutoCloseable companion) {
      companions.add(companion);
    }

    @Override
    public void start() {
      super.start();
      starts.forEach(Runnable::run);
    }

    @Override
    public void stop() {
      gate.close();
      super.stop();
      for (AutoCloseable companion : companions) {
        try {
          companion.close();
        } catch (Exception e) {
          LOG.warn("stopping {}: {}", companion, e.toString());
        }
      }
    }
  }
}
