package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.SpecDefaults;
import dev.fc.operator.desired.ConfigMapFactory;
import dev.fc.operator.desired.DesiredState;
import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.elastic.DemandSource;
import dev.fc.operator.elastic.ScalingDecision;
import dev.fc.operator.reconciler.InstancePlan.Deletion;
import dev.fc.operator.reconciler.InstancePlan.Reason;
import dev.fc.operator.validation.FieldError;
import dev.fc.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each FunctionInstance's pods, ConfigMaps and Service as its spec says, with FC's instance
 * semantics. A thin shell: observe (pods through the informer cache and the operator's own
 * expectations), validate, plan ({@link InstancePlanner}), act, and write the status
 * ({@link StatusComputer}) only when it changed.
 *
 * <p>It writes no finalizer: deleting a FunctionInstance leaves the rest to the garbage collector
 * through the controller ownerReferences, and the kubelet runs each pod's PreStop.
 */
public class FunctionInstanceReconciler implements Reconciler<FunctionInstance> {
  /** Informers cache only objects with this label: the operator's own. */
  public static final String OWNED_SELECTOR = Labels.MANAGED_BY + "=" + Labels.MANAGER;
  private static final Logger LOG = LoggerFactory.getLogger(FunctionInstanceReconciler.class);

  private final DesiredStateBuilder builder;
  private final ReconcilerSettings settings;
  private final Clock clock;
  private final InstanceExpectations expectations;
  private final WrittenStatuses statuses;
  private volatile InformerEventSource<Pod, FunctionInstance> podSource;
  private volatile InformerEventSource<ConfigMap, FunctionInstance> configMapSource;
  private volatile IndexerResourceCache<FunctionInstance> primaryCache;
  private final CachedView sharedRuntimeView = new CachedView();
  private final InstanceWriter instances;
  private final OwnedResources ownedResources;
  private final EventRecorder events;
  private final StatusListener listener;
  private final WriteGate gate;
  private final DemandSource demand;
  private final SimpleInboundEventSource<FunctionInstance> demandEvents = new SimpleInboundEventSource<>("demand");
  /** Reconciles the users nominated to own a shared runtime ConfigMap in place of a nominee that went. */
  private final SimpleInboundEventSource<FunctionInstance> nominationEvents =
      new SimpleInboundEventSource<>("shared-runtime-nominations");

  /** @param gate closed when the operator stops: from then on a reconcile writes nothing ({@link WriteGate}) */
  public FunctionInstanceReconciler(DesiredStateBuilder builder, ReconcilerSettings settings, Clock clock,
      InstanceWriter instances, OwnedResources ownedResources, EventRecorder events, StatusListener listener,
      WriteGate gate) {
    this(builder, settings, clock, instances, ownedResources, events, listener, gate, DemandSource.NONE);
  }

  /** @param demand the gateways' reports, for elastic functions ({@link ElasticScaling}) */
  public FunctionInstanceReconciler(DesiredStateBuilder builder, ReconcilerSettings settings, Clock clock,
      InstanceWriter instances, OwnedResources ownedResources, EventRecorder events, StatusListener listener,
      WriteGate gate, DemandSource demand) {
    this.demand = demand;
    this.listener = listener;
    this.gate = gate;
    this.builder = builder;
    this.settings = settings;
    this.clock = clock;
    this.expectations = new InstanceExpectations(clock);
    this.statuses = new WrittenStatuses(clock);
    this.instances = instances;
    this.ownedResources = ownedResources;
    this.events = events;
  }

  @Override
  public List<EventSource<?, FunctionInstance>> prepareEventSources(EventSourceContext<FunctionInstance> context) {
    primaryCache = context.getPrimaryCache();
    podSource = new PodEventSource(owned(Pod.class)
        .withItemStore(new PruningItemStore<>(CachePruning::pod)).build(), context, expectations::observedAdd);
    configMapSource = new InformerEventSource<>(owned(ConfigMap.class)
        .withSecondaryToPrimaryMapper(this::configMapUsers)
        .withItemStore(new PruningItemStore<>(CachePruning::configMap)).build(), context);
    return List.of(
        podSource,
        demandEvents,
        nominationEvents,
        configMapSource,
        new InformerEventSource<>(owned(Service.class)
            .withItemStore(new PruningItemStore<>(CachePruning::service)).build(), context));
  }

  private static final SecondaryToPrimaryMapper<ConfigMap> OWNERS_MAPPER =
      Mappers.fromOwnerReferences(FunctionInstance.class, false);

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      InformerEventSourceConfiguration.Builder<R> owned(Class<R> type) {
    return InformerEventSourceConfiguration.from(type, FunctionInstance.class)
        .withLabelSelector(OWNED_SELECTOR)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(FunctionInstance.class, false));
  }

  /**
   * A ConfigMap's owners; a shared runtime ConfigMap's also the users that should become owners, so that a deleted
   * owner (or the deleted ConfigMap) is replaced at once ({@link SharedRuntimeOwners}).
   */
  private Set<ResourceID> configMapUsers(ConfigMap configMap) {
    Set<ResourceID> users = new HashSet<>(OWNERS_MAPPER.toPrimaryResourceIDs(configMap));
    if (ConfigMapFactory.isSharedRuntime(configMap) && primaryCache != null) {
      users.addAll(SharedRuntimeOwners.ids(sharedRuntimeView.candidates(configMap)));
    }
    return users;
  }

  /** The caches, as {@link SharedRuntimes} reads them. */
  private final class CachedView implements SharedRuntimeView {
    private final SharedRuntimeNominations nominations = new SharedRuntimeNominations();

    @Override
    public ConfigMap cached(String namespace, String name) {
      return configMapSource.get(new ResourceID(name, namespace)).orElse(null);
    }

    /**
     * Computed again only when the ConfigMap changed, or when fewer candidates than missing owners are still there (a
     * namespace that had too few users when they were computed, a candidate deleted since).
     */
    @Override
    public List<FunctionInstance> candidates(ConfigMap configMap) {
      String namespace = configMap.getMetadata().getNamespace();
      Predicate<OwnerReference> live = live(namespace);
      int missing = SharedRuntimeOwners.OWNERS - SharedRuntimeOwners.liveOwners(configMap, live).size();
      return nominations.of(configMap, missing, fi -> live.test(SharedRuntimeOwners.reference(fi)),
          () -> SharedRuntimeOwners.candidates(configMap, primaryCache.list(namespace), this::wants, live));
    }

    /**
     * A nominee of a ConfigMap that the cache dropped (a candidate picked while the cache still held functions being
     * deleted) is replaced at once, and its replacements are reconciled: no ConfigMap event would come to nominate
     * them, and the ConfigMap would stay short of owners until some other event.
     */
    void forget(FunctionInstance gone) {
      for (ResourceID id : nominations.naming(gone)) {
        ConfigMap configMap = configMapSource.get(id).orElse(null);
        if (configMap == null) {
          nominations.remove(id);
        } else {
          candidates(configMap).forEach(fi -> nominationEvents.propagateEvent(ResourceID.fromResource(fi)));
        }
      }
    }

    @Override
    public Predicate<OwnerReference> live(String namespace) {
      return ref -> primaryCache.get(new ResourceID(ref.getName(), namespace))
          .filter(fi -> ref.getUid().equals(fi.getMetadata().getUid()) && fi.getMetadata().getDeletionTimestamp() == null)
          .isPresent();
    }

    /** The shared runtime ConfigMap {@code fi} mounts, or null when it mounts none (invalid, being deleted). */
    private String wants(FunctionInstance fi) {
      if (fi.getMetadata().getDeletionTimestamp() != null || !SpecValidator.validate(fi).isEmpty()) {
        return null;
      }
      return builder.runtimeConfigMapName(SpecDefaults.apply(fi.getSpec()).runtime());
    }

    @Override
    public boolean mounted(String namespace, String name) {
      return podSource.list(namespace, pod -> pod.getSpec() != null && pod.getSpec().getVolumes() != null
          && pod.getSpec().getVolumes().stream()
              .anyMatch(v -> v.getConfigMap() != null && name.equals(v.getConfigMap().getName())))
          .findAny().isPresent();
    }
  }

  /** What the primary cache dropped: given to {@code PruningItemStore} of the FunctionInstances. */
  public void functionRemoved(FunctionInstance gone) {
    if (configMapSource != null) {
      sharedRuntimeView.forget(gone);
    }
  }

  /** A gateway reported a change of this function's demand: reconcile it soon. */
  public void demandChanged(String namespace, String name) {
    demandEvents.propagateEvent(new ResourceID(name, namespace));
  }

  /** The operator's pods as its cache holds them (none before the operator started), for metrics. */
  public Stream<Pod> cachedInstancePods() {
    InformerEventSource<Pod, FunctionInstance> source = podSource;
    return source == null ? Stream.empty() : source.list(pod -> true);
  }

  @Override
  public UpdateControl<FunctionInstance> reconcile(FunctionInstance fi, Context<FunctionInstance> context) {
    Instant now = clock.instant();
    String uid = fi.getMetadata().getUid();
    List<Pod> ownedPods = context.getSecondaryResourcesAsStream(Pod.class)
        .filter(pod -> Ownership.controlledBy(pod, uid)).toList();
    List<ConfigMap> configMaps = context.getSecondaryResourcesAsStream(ConfigMap.class).toList();
    Service service = context.getSecondaryResource(Service.class).orElse(null);
    if (gate.closed()) {
      LOG.info("stopping: {}/{} left to the next leader, as the caches may be torn down",
          fi.getMetadata().getNamespace(), fi.getMetadata().getName());
      return UpdateControl.noUpdate();
    }
    FunctionInstanceStatus previous = statuses.previous(fi);
    List<ObservedInstance> observed = expectations.apply(uid, ownedPods, InstanceHistory.of(previous));

    List<FieldError> errors = SpecValidator.validate(fi);
    if (!errors.isEmpty()) {
      String message = String.join("; ", errors.stream().map(FieldError::toString).toList());
      events.record(fi, EventReason.InvalidSpec, message);
      FunctionInstanceStatus status = StatusComputer.invalid(fi, previous, errors, observed, now);
      if (!status.equals(previous)) {
        LOG.warn("invalid spec, no instance created or deleted: {}", message);
      }
      return patchStatusIfChanged(fi, previous, status);
    }

    DesiredState desired = builder.build(fi);
    List<String> changes = new ArrayList<>(ownedResources.ensure(fi, desired, configMaps, service,
        sharedRuntimeView));

    ElasticScaling.Outcome scaling = ElasticScaling.decide(fi, previous, observed, demand, now);
    if (scaling != null) {
      desired = desired.withInstances(scaling.decision().desired());
      recordScaling(fi, scaling);
    }
    InstancePlan plan = InstancePlanner.plan(desired.instances(),
        scaling == null ? List.of() : scaling.decision().reclaim(), desired.templateHash(), observed,
        Backoff.fromStatus(previous == null ? null : previous.getBackoff()), now, settings);
    List<ObservedInstance> after = carryOut(fi, desired, plan, observed, changes);
    changes.addAll(ownedResources.removeUnused(fi, desired, configMaps,
        after.stream().map(ObservedInstance::pod).toList()));
    boolean runtimesInUse = ownedResources.removeUnwantedRuntimes(fi, configMaps, builder.runtimeConfigMapNames(),
        sharedRuntimeView, changes);

    FunctionInstanceStatus status = StatusComputer.compute(fi, previous, desired, after, plan.backoff(), now);
    status.setScaling(scaling == null ? null : scaling.status());
    recordRollout(fi, previous, status, desired.templateHash());
    listener.computed(fi, previous, status);
    if (!changes.isEmpty()) {
      LOG.info("{} (template {}, {} ready)", String.join(", ", changes), desired.templateHash(), status.getReady());
    }
    UpdateControl<FunctionInstance> control = patchStatusIfChanged(fi, previous, status);
    Duration requeue = earliest(earliest(plan.requeueAfter(), scaling == null ? null : scaling.decision().recheckAfter()),
        runtimesInUse ? SharedRuntimes.STALE_RECHECK : null);
    return requeue == null ? control : control.rescheduleAfter(requeue);
  }

  /** Deletes and creates as planned; returns the instances as they now are. */
  private List<ObservedInstance> carryOut(FunctionInstance fi, DesiredState desired, InstancePlan plan,
      List<ObservedInstance> observed, List<String> changes) {
    String uid = fi.getMetadata().getUid();
    List<ObservedInstance> after = new ArrayList<>(observed);
    for (Deletion deletion : plan.toDelete()) {
      ObservedInstance instance = deletion.instance();
      if (deletion.reason() == Reason.FAILED) {
        String failure = FailureDescription.of(instance);
        events.record(fi, EventReason.forEnded(instance.phase()), failure);
        events.record(fi, EventReason.InstanceReplaced, "deleted " + instance.name()
            + (desired.templateHash().equals(instance.templateHash())
                ? "; a new instance follows after " + Math.max(1, plan.backoff().delay().toSeconds())
                    + "s (consecutive failures: " + plan.backoff().consecutiveFailures() + ")"
                : "; instances of template " + desired.templateHash() + " replace it"));
      } else if (deletion.reason() == Reason.IDLE) {
        events.record(fi, EventReason.InstanceReclaimed, "deleted " + instance.name() + ": served nothing for "
            + fi.getSpec().getIdleTimeout() + "s or more (idleTimeout); its PreStop runs");
      } else {
        events.record(fi, EventReason.InstanceDeleted, "deleted " + instance.name() + (deletion.reason() == Reason.STALE
            ? " (replaced by template " + desired.templateHash() + ")" : " (scale down)"));
      }
      instances.delete(instance.pod());
      expectations.deleted(uid, instance.uid());
      after.set(after.indexOf(instance), instance.asTerminating());
      changes.add("deleted " + deletion.reason().name().toLowerCase().replace('_', '-') + " instance "
          + instance.name());
    }
    for (int i = 0; i < plan.toCreate(); i++) {
      Pod named = instances.named(desired.podTemplate());
      expectations.expectCreation(uid, named);
      Pod pod;
      try {
        pod = instances.create(named);
      } catch (RuntimeException e) {
        expectations.creationFailed(uid, named);
        throw e;
      }
      after.add(InstanceFromPod.read(pod));
      events.record(fi, EventReason.InstanceCreated, "created " + pod.getMetadata().getName());
      changes.add("created instance " + pod.getMetadata().getName());
    }
    return after;
  }

  /** One log line and one event per change of an elastic function's count, with the numbers behind it. */
  private void recordScaling(FunctionInstance fi, ElasticScaling.Outcome scaling) {
    ScalingDecision decision = scaling.decision();
    if (decision.changed()) {
      LOG.info("scaling {}/{} to {} ({}): {}", fi.getMetadata().getNamespace(), fi.getMetadata().getName(),
          decision.desired(), decision.reason(), decision.message());
      events.record(fi, EventReason.Scaled, decision.desired() + " instances (" + decision.reason() + "): "
          + decision.message());
      listener.scaled(fi, scaling.previousDesired(), decision);
    }
  }

  private static Duration earliest(Duration a, Duration b) {
    return a == null || (b != null && b.compareTo(a) < 0) ? b : a;
  }

  private void recordRollout(FunctionInstance fi, FunctionInstanceStatus previous, FunctionInstanceStatus status,
      String templateHash) {
    Condition before = Conditions.find(previous == null ? null : previous.getConditions(), Conditions.PROGRESSING);
    Condition now = Conditions.find(status.getConditions(), Conditions.PROGRESSING);
    boolean wasRolling = before != null && StatusComputer.REASON_ROLLING_OUT.equals(before.getReason());
    boolean isRolling = StatusComputer.REASON_ROLLING_OUT.equals(now.getReason());
    if (isRolling && !wasRolling) {
      events.record(fi, EventReason.RolloutStarted, "rolling instances to template " + templateHash);
    } else if (wasRolling && !isRolling) {
      events.record(fi, EventReason.RolloutFinished, "all instances run template " + templateHash);
    }
  }

  /**
   * Status goes out only when it changed, from a fresh object carrying name, namespace and status, so
   * that a server-side-apply patch claims the status alone.
   */
  private UpdateControl<FunctionInstance> patchStatusIfChanged(FunctionInstance fi, FunctionInstanceStatus previous,
      FunctionInstanceStatus status) {
    if (status.equals(previous)) {
      return UpdateControl.noUpdate();
    }
    statuses.wrote(fi, status);
    FunctionInstance fresh = new FunctionInstance();
    fresh.setMetadata(new ObjectMetaBuilder()
        .withName(fi.getMetadata().getName())
        .withNamespace(fi.getMetadata().getNamespace())
        .build());
    fresh.setStatus(status);
    return UpdateControl.patchStatus(fresh);
  }
}
