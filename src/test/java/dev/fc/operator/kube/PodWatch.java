package dev.fc.operator.kube;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Follows a set of pods through a watch that starts at a list's resourceVersion, so it sees every
 * change in the order the API server made them: the fewest <em>serving</em> pods there ever were (Ready
 * and not being deleted: what a Service's endpoints hold), the most live pods (not being deleted), and
 * the order in which pods were marked for deletion.
 */
public final class PodWatch implements AutoCloseable {
  private final Map<String, Pod> pods = new LinkedHashMap<>();
  private final List<String> timeline = new ArrayList<>();
  private final List<String> deletionOrder = new ArrayList<>();
  private final Map<String, Instant> gone = new LinkedHashMap<>();
  private final Map<String, List<Pod>> history = new LinkedHashMap<>();
  private final Map<String, List<Instant>> received = new LinkedHashMap<>();
  private final Instant start = Instant.now();
  private int minServing = Integer.MAX_VALUE;
  private int maxLive;
  private WatcherException failure;
  private Watch watch;

  private PodWatch() {}

  /** Watches the pods in {@code namespace} that match {@code labelSelector}, from their current state on. */
  public static PodWatch start(KubernetesClient client, String namespace, String labelSelector) {
    PodWatch tracker = new PodWatch();
    PodList list = client.pods().inNamespace(namespace).withLabelSelector(labelSelector).list();
    synchronized (tracker) {
      list.getItems().forEach(p -> {
        tracker.pods.put(p.getMetadata().getName(), p);
        tracker.remember(p);
      });
      tracker.record("LISTED", null);
    }
    tracker.watch = client.pods().inNamespace(namespace).watch(new ListOptionsBuilder()
        .withLabelSelector(labelSelector).withResourceVersion(list.getMetadata().getResourceVersion()).build(),
        new Watcher<>() {
          @Override
          public void eventReceived(Action action, Pod pod) {
            tracker.event(action, pod);
          }

          @Override
          public void onClose(WatcherException cause) {
            synchronized (tracker) {
              tracker.failure = cause;
            }
          }
        });
    return tracker;
  }

  private synchronized void event(Watcher.Action action, Pod pod) {
    String name = pod.getMetadata().getName();
    remember(pod);
    if (action == Watcher.Action.DELETED) {
      pods.remove(name);
      gone.put(name, Instant.now());
    } else {
      pods.put(name, pod);
    }
    if (pod.getMetadata().getDeletionTimestamp() != null && !deletionOrder.contains(name)) {
      deletionOrder.add(name);
    }
    record(action.name(), name);
  }

  private void remember(Pod pod) {
    history.computeIfAbsent(pod.getMetadata().getName(), n -> new ArrayList<>()).add(pod);
    received.computeIfAbsent(pod.getMetadata().getName(), n -> new ArrayList<>()).add(Instant.now());
  }

  private void record(String what, String name) {
    int serving = (int) pods.values().stream().filter(p -> live(p) && FcKube.isReady(p)).count();
    int live = (int) pods.values().stream().filter(PodWatch::live).count();
    minServing = Math.min(minServing, serving);
    maxLive = Math.max(maxLive, live);
    timeline.add(String.format("+%5d ms %-8s %-40s serving=%d live=%d", Duration.between(start, Instant.now())
        .toMillis(), what, name == null ? "" : name, serving, live));
  }

  private static boolean live(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null;
  }

  /** The fewest pods that were Ready and not being deleted, at any point since the start. */
  public synchronized int minServing() {
    return minServing;
  }

  /** The most pods not being deleted, at any point since the start. */
  public synchronized int maxLive() {
    return maxLive;
  }

  /** The pods in the order they were marked for deletion. */
  public synchronized List<String> deletionOrder() {
    return List.copyOf(deletionOrder);
  }

  /** Every state of the pod seen, in order (the listed one first); empty for a pod never seen. */
  public synchronized List<Pod> history(String name) {
    return List.copyOf(history.getOrDefault(name, List.of()));
  }

  /** When this JVM first received a state of the pod that {@code accept}s (the wall clock the node's logs use). */
  public synchronized Optional<Instant> firstSeen(String name, Predicate<Pod> accept) {
    List<Pod> states = history.getOrDefault(name, List.of());
    for (int i = 0; i < states.size(); i++) {
      if (accept.test(states.get(i))) {
        return Optional.of(received.get(name).get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * {@link #firstSeen}, waiting up to {@code timeout} for the watch: a list that found the pod in that state
   * may come back before the watch event that carries it.
   */
  public Instant awaitFirstSeen(String name, Predicate<Pod> accept, Duration timeout) {
    return dev.fc.operator.Await.value("the watch to see " + name + " in the awaited state", timeout,
        () -> firstSeen(name, accept), Optional::isPresent).get();
  }

  /** When this JVM received the pod's removal from the API server; empty while it is there (or was never seen). */
  public synchronized Optional<Instant> goneAt(String name) {
    return Optional.ofNullable(gone.get(name));
  }

  /** The names of every pod seen, in the order they were first seen. */
  public synchronized List<String> seen() {
    return List.copyOf(history.keySet());
  }

  /** Null while the watch has seen every change (it only ends with an error when it lost track). */
  public synchronized WatcherException failure() {
    return failure;
  }

  /** Every change seen, one line each, for assertion messages. */
  public synchronized String timeline() {
    return String.join("\n", timeline);
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
