package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes events on FunctionInstances ({@code kubectl describe fi}). The same event for the same
 * resource is not repeated within {@link #DEDUPLICATION_WINDOW}, so a resource that stays invalid or keeps
 * failing does not flood the namespace. An event that cannot be written is logged, never fatal.
 */
public class EventRecorder {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  static final Duration DEDUPLICATION_WINDOW = Duration.ofMinutes(10);
  static final int MAX_MESSAGE_LENGTH = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Instant> recent = new ConcurrentHashMap<>();
  private volatile Instant lastSweep = Instant.EPOCH;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(FunctionInstance fi, String reason, String message) {
    record(fi, NORMAL, reason, message);
  }

  public void warning(FunctionInstance fi, String reason, String message) {
    record(fi, WARNING, reason, message);
  }

  private void record(FunctionInstance fi, String type, String reason, String message) {
    Instant now = clock.instant();
    String text = message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH - 1) + "…" : message;
    String key = fi.getMetadata().getUid() + "/" + type + "/" + reason + "/" + text;
    Instant last = recent.get(key);
    if (last != null && last.plus(DEDUPLICATION_WINDOW).isAfter(now)) {
      return;
    }
    recent.put(key, now);
    if (now.isAfter(lastSweep.plusSeconds(1))) { // not on every event: a burst would scan the map each time
      lastSweep = now;
      recent.values().removeIf(at -> at.plus(DEDUPLICATION_WINDOW).isBefore(now));
    }
    Event event = new EventBuilder()
        .withNewMetadata()
        .withGenerateName(fi.getMetadata().getName() + ".")
        .withNamespace(fi.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(FunctionInstance.API_VERSION)
            .withKind(FunctionInstance.KIND)
            .withName(fi.getMetadata().getName())
            .withNamespace(fi.getMetadata().getNamespace())
            .withUid(fi.getMetadata().getUid())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(text)
        .withFirstTimestamp(now.toString())
        .withLastTimestamp(now.toString())
        .withCount(1)
        .withNewSource().withComponent("fc-operator").endSource()
        .withReportingComponent("fc-operator")
        .build();
    try {
      client.v1().events().inNamespace(fi.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} on {}/{}: {}", reason, fi.getMetadata().getNamespace(),
          fi.getMetadata().getName(), e.getMessage());
    }
  }
}
