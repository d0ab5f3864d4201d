package dev.fc.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The operator's own pod creations and deletions that the informer cache may not show yet, as the
 * ReplicaSet controller's expectations: a pod it created counts as existing until the cache has it; a
 * pod it deleted counts as terminating until the cache shows it terminating or gone. Without this, a
 * reconcile that runs before the cache catches up would create (or delete) the same instances twice.
 * A creation is fulfilled by the informer's add event ({@link #observedAdd}) or by the pod's presence in
 * the cache. An expectation never fulfilled expires after {@link #TTL}, as the ReplicaSet controller's do.
 */
public final class InstanceExpectations {
  static final Duration TTL = Duration.ofMinutes(5);
  /** How often the expectations of every function are swept; a function's own expire exactly, in {@link #apply}. */
  static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

  private record Created(Pod pod, Instant at) {}

  private record Pending(Map<String, Created> created, Map<String, Instant> deleted) {
    Pending() {
      this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }
  }

  private final Map<String, Pending> byFunction = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Throttle sweep = new Throttle(SWEEP_INTERVAL);

  public InstanceExpectations(Clock clock) {
    this.clock = clock;
  }

  /**
   * Call before sending the create, so the informer's add event cannot come first.
   *
   * @param function the FunctionInstance's uid
   */
  public void expectCreation(String function, Pod pod) {
    byFunction.computeIfAbsent(function, k -> new Pending()).created()
        .put(pod.getMetadata().getName(), new Created(pod, clock.instant()));
  }

  /** The create was refused: nothing to wait for. */
  public void creationFailed(String function, Pod pod) {
    Pending pending = byFunction.get(function);
    if (pending != null) {
      pending.created().remove(pod.getMetadata().getName());
    }
  }

  public void deleted(String function, String podUid) {
    byFunction.computeIfAbsent(function, k -> new Pending()).deleted().put(podUid, clock.instant());
  }

  /**
   * The informer saw this pod added: a creation expected for it is fulfilled, even if the pod is gone
   * from the cache again by the next reconcile (deleted right after it was created).
   */
  public void observedAdd(Pod pod) {
    var owners = pod.getMetadata().getOwnerReferences();
    if (owners == null) {
      return;
    }
    owners.forEach(owner -> {
      Pending pending = byFunction.get(owner.getUid());
      if (pending != null) {
        pending.created().remove(pod.getMetadata().getName());
      }
    });
  }

  /**
   * The instances as the operator's own writes say they are: the cached ones, with pods it deleted
   * shown terminating, plus pods it created that the cache does not hold yet.
   *
   * @param history what the previous status said of the instances, for {@link InstanceFromPod}
   */
  public List<ObservedInstance> apply(String function, List<Pod> cached, InstanceHistory history) {
    Instant now = clock.instant();
    if (sweep.due(now)) {
      sweepExpired(now);
    }
    Pending pending = byFunction.get(function);
    if (pending == null) {
      return cached.stream().map(pod -> InstanceFromPod.read(pod, history)).toList();
    }
    expire(pending, now);

    Set<String> cachedNames = cached.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    Set<String> cachedUids = cached.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    pending.created().keySet().removeIf(cachedNames::contains);
    pending.deleted().keySet().removeIf(uid -> !cachedUids.contains(uid));

    List<ObservedInstance> instances = new ArrayList<>();
    for (Pod pod : cached) {
      ObservedInstance instance = InstanceFromPod.read(pod, history);
      boolean deletedByUs = pending.deleted().containsKey(pod.getMetadata().getUid());
      if (deletedByUs && !instance.terminating()) {
        instance = instance.asTerminating();
      } else if (deletedByUs) {
        pending.deleted().remove(pod.getMetadata().getUid());
      }
      instances.add(instance);
    }
    pending.created().values().forEach(c -> instances.add(InstanceFromPod.read(c.pod())));
    if (pending.created().isEmpty() && pending.deleted().isEmpty()) {
      byFunction.remove(function, pending);
    }
    return instances;
  }

  /** How many functions have expectations held (the memory this takes); for tests. */
  int trackedFunctions() {
    return byFunction.size();
  }

  /** Drops expired expectations of every function, including deleted FunctionInstances'. */
  private void sweepExpired(Instant now) {
    byFunction.values().forEach(pending -> expire(pending, now));
    byFunction.values().removeIf(p -> p.created().isEmpty() && p.deleted().isEmpty());
  }

  private static void expire(Pending pending, Instant now) {
    Instant expired = now.minus(TTL);
    pending.created().values().removeIf(c -> c.at().isBefore(expired));
    pending.deleted().values().removeIf(at -> at.isBefore(expired));
  }
}
