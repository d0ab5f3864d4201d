package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.ConfigMapFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Writes the shared runtime ConfigMaps ({@link SharedRuntimeOwners} has the scheme): creates one when missing, makes a
 * candidate an owner while owners are missing (a write that fails if the ConfigMap changed since it was read, so
 * concurrent reconciles never add more than the bound), and deletes one that no function wants any more (after an
 * operator upgrade changed the runtime) once no pod mounts it.
 */
class SharedRuntimes {
  /** How long a write this process made is trusted while the cache has not caught up with it. */
  static final Duration CACHE_LAG = Duration.ofSeconds(30);
  /** How soon an owner looks again at an unwanted ConfigMap that pods still mount. */
  static final Duration STALE_RECHECK = Duration.ofSeconds(30);
  /** A guarded write's answers when the ConfigMap changed or went since it was read. */
  private static final Set<Integer> CHANGED_SINCE = Set.of(HttpURLConnection.HTTP_CONFLICT,
      HttpURLConnection.HTTP_NOT_FOUND);

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Instant> recentWrites = new ConcurrentHashMap<>();

  SharedRuntimes(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** @return a short description of each write, for the reconcile's log line */
  List<String> ensure(FunctionInstance fi, ConfigMap desired, SharedRuntimeView view) {
    String namespace = desired.getMetadata().getNamespace();
    String name = desired.getMetadata().getName();
    ConfigMap cached = view.cached(namespace, name);
    if (cached != null) {
      recentWrites.remove(createKey(desired)); // the cache caught up: if it is deleted later, it is written again
    }
    var live = view.live(namespace);
    boolean candidate = cached != null && !SharedRuntimeOwners.ownedBy(cached, fi.getMetadata().getUid())
        && SharedRuntimeOwners.liveOwners(cached, live).size() < SharedRuntimeOwners.OWNERS
        && view.candidates(cached).stream().anyMatch(c -> c.getMetadata().getUid().equals(fi.getMetadata().getUid()));
    return switch (SharedRuntimeOwners.step(cached, fi, live, candidate)) {
      case CREATE -> create(fi, desired);
      case ADD_OWNER -> addOwner(fi, cached, live);
      case NONE -> List.of();
    };
  }

  /**
   * Claimed first, so that of the reconciles that find it missing at once (the namespace's first functions, created
   * together) one writes it and the others do not send its files only to be refused.
   */
  private List<String> create(FunctionInstance fi, ConfigMap desired) {
    String key = createKey(desired);
    if (!claim(key)) {
      return List.of();
    }
    ConfigMap owned = new ConfigMapBuilder(desired).editMetadata()
        .withOwnerReferences(SharedRuntimeOwners.reference(fi)).endMetadata().build();
    try {
      client.resource(owned).create();
      return List.of("created shared ConfigMap " + desired.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        recentWrites.remove(key); // not written: the next reconcile tries again
        throw e;
      }
      return List.of(); // another operator's or an earlier write: the cache will show it
    }
  }

  /**
   * Reads the ConfigMap, appends the owner if owners are still missing, and writes it back with the resourceVersion
   * read: the API server refuses it (409) if the ConfigMap changed in between, and that change's event reconciles the
   * candidates again. A read and a write of the runtime's files, a few times per namespace.
   */
  private List<String> addOwner(FunctionInstance fi, ConfigMap cached, Predicate<OwnerReference> live) {
    String namespace = cached.getMetadata().getNamespace();
    String name = cached.getMetadata().getName();
    String key = "own " + namespace + "/" + name + " " + fi.getMetadata().getUid();
    if (recentlyWritten(key)) {
      return List.of();
    }
    ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
    if (current == null || SharedRuntimeOwners.ownedBy(current, fi.getMetadata().getUid())
        || SharedRuntimeOwners.liveOwners(current, live).size() >= SharedRuntimeOwners.OWNERS) {
      return List.of();
    }
    List<OwnerReference> owners = new ArrayList<>();
    if (current.getMetadata().getOwnerReferences() != null) {
      owners.addAll(current.getMetadata().getOwnerReferences());
    }
    owners.add(SharedRuntimeOwners.reference(fi));
    current.getMetadata().setOwnerReferences(owners);
    try {
      client.resource(current).update();
      wrote(key);
      return List.of("became an owner of shared ConfigMap " + name);
    } catch (KubernetesClientException e) {
      if (!CHANGED_SINCE.contains(e.getCode())) {
        throw e;
      }
      return List.of();
    }
  }

  /**
   * Deletes the shared runtime ConfigMaps {@code fi} owns that no function wants ({@code wanted} holds every name the
   * operator's runtimes give) and no pod mounts.
   *
   * @return whether some of them wait for pods to go: look again after {@link #STALE_RECHECK}
   */
  boolean removeUnwanted(FunctionInstance fi, List<ConfigMap> configMaps, Set<String> wanted, SharedRuntimeView view,
      List<String> changes) {
    boolean waiting = false;
    for (ConfigMap configMap : configMaps) {
      String name = configMap.getMetadata().getName();
      if (!ConfigMapFactory.isSharedRuntime(configMap) || wanted.contains(name)
          || !SharedRuntimeOwners.ownedBy(configMap, fi.getMetadata().getUid())) {
        continue;
      }
      String namespace = configMap.getMetadata().getNamespace();
      if (view.mounted(namespace, name)) {
        waiting = true;
      } else {
        client.configMaps().inNamespace(namespace).withName(name).delete();
        changes.add("deleted shared ConfigMap " + name + ", which no function mounts any more");
      }
    }
    return waiting;
  }

  private static String createKey(ConfigMap configMap) {
    return "create " + configMap.getMetadata().getNamespace() + "/" + configMap.getMetadata().getName();
  }

  /** Whether this call may write {@code key}'s object: no write of it by this process within {@link #CACHE_LAG}. */
  private boolean claim(String key) {
    Instant now = clock.instant();
    boolean[] claimed = {false};
    recentWrites.compute(key, (k, at) -> {
      if (at != null && at.plus(CACHE_LAG).isAfter(now)) {
        return at;
      }
      claimed[0] = true;
      return now;
    });
    return claimed[0];
  }

  private boolean recentlyWritten(String key) {
    Instant at = recentWrites.get(key);
    return at != null && at.plus(CACHE_LAG).isAfter(clock.instant());
  }

  private void wrote(String key) {
    Instant now = clock.instant();
    recentWrites.put(key, now);
    if (recentWrites.size() > 1_000) {
      recentWrites.values().removeIf(at -> !at.plus(CACHE_LAG).isAfter(now));
    }
  }
}
