package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Fixtures;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events named from their content, counted on repeats, also across a restart of the operator. */
@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {
  static KubernetesClient client;

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private FunctionInstance fi;
  private static int functions;

  @BeforeEach
  void function() {
    fi = Fixtures.function("f" + ++functions);
    fi.setMetadata(new ObjectMetaBuilder().withName(fi.getMetadata().getName()).withNamespace("events")
        .withUid("uid-" + functions).build());
  }

  private List<Event> events() {
    return client.v1().events().inNamespace("events").list().getItems().stream()
        .filter(e -> fi.getMetadata().getName().equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(Event::getMessage)).toList();
  }

  private static EventRecorder recorder(Instant at) {
    return new EventRecorder(client, Clock.fixed(at, ZoneOffset.UTC));
  }

  @Test
  void aRepeatRaisesTheCountAndLastTimestampOfOneEvent() {
    recorder(T0).record(fi, EventReason.InvalidSpec, "spec.timeout: must be at least 1");
    EventRecorder later = recorder(T0.plusSeconds(30));
    later.record(fi, EventReason.InvalidSpec, "spec.timeout: must be at least 1");
    later.record(fi, EventReason.InvalidSpec, "spec.timeout: must be at least 1");

    assertThat(events()).singleElement().satisfies(e -> {
      assertThat(e.getCount()).isEqualTo(3);
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getReason()).isEqualTo("InvalidSpec");
      assertThat(Instant.parse(e.getFirstTimestamp())).isEqualTo(T0);
      assertThat(Instant.parse(e.getLastTimestamp())).isEqualTo(T0.plusSeconds(30));
      assertThat(e.getMetadata().getName()).startsWith(fi.getMetadata().getName() + ".");
    });
  }

  @Test
  void aRestartedOperatorCountsOnFromTheEventItFinds() {
    EventRecorder before = recorder(T0);
    before.record(fi, EventReason.Retired, "retired after an invocation timeout");
    before.record(fi, EventReason.Retired, "retired after an invocation timeout");
    recorder(T0.plusSeconds(60)).record(fi, EventReason.Retired, "retired after an invocation timeout");

    assertThat(events()).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(3));
  }

  @Test
  void anotherMessageOrReasonIsAnotherEvent() {
    EventRecorder recorder = recorder(T0);
    recorder.record(fi, EventReason.InstanceCreated, "created f-1");
    recorder.record(fi, EventReason.InstanceCreated, "created f-2");
    recorder.record(fi, EventReason.InstanceDeleted, "created f-2");

    assertThat(events()).hasSize(3).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
    assertThat(events()).extracting(Event::getType).containsOnly("Normal");
  }

  @Test
  void anEventThatExpiredIsCreatedAgain() {
    EventRecorder recorder = recorder(T0);
    recorder.record(fi, EventReason.InitializerFailed, "the Initializer failed");
    client.v1().events().inNamespace("events").withName(events().get(0).getMetadata().getName()).delete();
    recorder.record(fi, EventReason.InitializerFailed, "the Initializer failed");

    assertThat(events()).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
  }

  @Test
  void aLongMessageIsCutTo1024Characters() {
    recorder(T0).record(fi, EventReason.InvalidSpec, "x".repeat(5000));
    assertThat(events()).singleElement().satisfies(e -> assertThat(e.getMessage()).hasSize(1024).endsWith("…"));
  }
}
