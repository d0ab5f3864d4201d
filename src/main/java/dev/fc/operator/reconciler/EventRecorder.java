package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes events on FunctionInstances ({@code kubectl describe fi}), aggregated as the kubelet's and
 * Apache Flink's operator's are: an event is named from its content (function, type, reason, message), so a
 * repeat raises the {@code count} and {@code lastTimestamp} of the one event instead of adding another, and
 * {@code kubectl describe} shows "x5". A repeat after a restart of the operator finds the event by its name.
 * An event that cannot be written is logged, never fatal.
 */
public class EventRecorder {
  static final int MAX_MESSAGE_LENGTH = 1024;
  /** What the operator remembers of an event it wrote; after that a repeat reads the event back first. */
  static final Duration MEMORY = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Written> written = new ConcurrentHashMap<>();
  private volatile Instant lastSweep = Instant.EPOCH;

  private record Written(int count, Instant at) {}

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(FunctionInstance fi, EventReason reason, String message) {
    Instant now = clock.instant();
    sweep(now);
    String text = message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH - 1) + "…" : message;
    String namespace = fi.getMetadata().getNamespace();
    String name = name(fi, reason, text);
    try {
      Written before = written.get(name);
      int count = before == null ? create(fi, name, reason, text, now) : raise(fi, name, reason, text, before.count(), now);
      written.put(name, new Written(count, now));
    } catch (KubernetesClientException e) {
      written.remove(name);
      LOG.warn("could not record event {} on {}/{}: {}", reason, namespace, fi.getMetadata().getName(), e.getMessage());
    }
  }

  /** Creates the event with count 1; if it exists (written before a restart), raises its count. */
  private int create(FunctionInstance fi, String name, EventReason reason, String text, Instant now) {
    try {
      client.v1().events().inNamespace(fi.getMetadata().getNamespace()).resource(event(fi, name, reason, text, now))
          .create();
      return 1;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      Event existing = client.v1().events().inNamespace(fi.getMetadata().getNamespace()).withName(name).get();
      int count = existing == null || existing.getCount() == null ? 0 : existing.getCount();
      return raise(fi, name, reason, text, count, now);
    }
  }

  /** Raises the event's count and lastTimestamp; creates it again if it expired meanwhile (events live 1 h). */
  private int raise(FunctionInstance fi, String name, EventReason reason, String text, int count, Instant now) {
    int raised = count + 1;
    try {
      client.v1().events().inNamespace(fi.getMetadata().getNamespace()).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE),
              "{\"count\":" + raised + ",\"lastTimestamp\":\"" + now + "\"}");
      return raised;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      return create(fi, name, reason, text, now);
    }
  }

  private static Event event(FunctionInstance fi, String name, EventReason reason, String text, Instant now) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(fi.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(FunctionInstance.API_VERSION)
            .withKind(FunctionInstance.KIND)
            .withName(fi.getMetadata().getName())
            .withNamespace(fi.getMetadata().getNamespace())
            .withUid(fi.getMetadata().getUid())
            .build())
        .withType(reason.type().name())
        .withReason(reason.name())
        .withMessage(text)
        .withFirstTimestamp(now.toString())
        .withLastTimestamp(now.toString())
        .withCount(1)
        .withNewSource().withComponent("fc-operator").endSource()
        .withReportingComponent("fc-operator")
        .build();
  }

  /** The function's name, a dot and a digest of what the event says: one name for one event. */
  static String name(FunctionInstance fi, EventReason reason, String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((fi.getMetadata().getUid() + "\n" + reason.type() + "\n" + reason + "\n" + text)
          .getBytes(StandardCharsets.UTF_8));
      return fi.getMetadata().getName() + "." + HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private void sweep(Instant now) {
    if (now.isAfter(lastSweep.plusSeconds(60))) { // not on every event: a burst would scan the map each time
      lastSweep = now;
      written.values().removeIf(w -> w.at().plus(MEMORY).isBefore(now));
    }
  }
}
