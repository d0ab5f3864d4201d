package dev.fc.operator.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.Await;
import dev.fc.operator.elastic.DemandReport;
import dev.fc.operator.elastic.FakeGateway;
import dev.fc.operator.elastic.FunctionDemand;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The leader's long polls on the gateway replicas: every listed replica is heard, and only a change is told. */
class GatewayDemandCollectorTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static DemandReport.FunctionDemand demand(String name, int queued) {
    return new DemandReport.FunctionDemand("ns", name, 0, queued, List.of());
  }

  @Test
  void everyReplicaListedAtOnceIsPolledAndTheirDemandIsSummed() {
    // repeated: each round starts both polls at the same moment, as a leader that starts with both replicas Ready
    for (int round = 0; round < 10; round++) {
      try (FakeGateway a = new FakeGateway("a"); FakeGateway b = new FakeGateway("b", "127.0.0.2", a.port());
          GatewayDemandCollector collector = new GatewayDemandCollector(() -> Set.of(a.uri(), b.uri()), HTTP,
              Clock.systemUTC(), (ns, name) -> { }, () -> true, Duration.ofSeconds(5))) {
        a.report(demand("f", 2));
        b.report(demand("f", 3));
        collector.start();
        FunctionDemand merged = Await.value("both replicas heard, round " + round,
            () -> collector.demandOf("ns", "f"), d -> d.complete() && d.queued() == 5);
        assertThat(merged.inFlight()).isZero();
      }
    }
  }

  @Test
  void aChangeIsToldForItsFunctionOnlyAndASilentReplicaMakesDemandIncomplete() {
    List<String> told = new CopyOnWriteArrayList<>();
    AtomicReference<Set<URI>> listed = new AtomicReference<>();
    try (FakeGateway a = new FakeGateway("a"); FakeGateway b = new FakeGateway("b", "127.0.0.2", a.port());
        GatewayDemandCollector collector = new GatewayDemandCollector(listed::get, HTTP, Clock.systemUTC(),
            (ns, name) -> told.add(ns + "/" + name), () -> true, Duration.ofSeconds(5))) {
      listed.set(Set.of(a.uri()));
      collector.start();
      Await.until("the first replica heard", () -> collector.demandOf("ns", "f").complete());
      a.report(demand("f", 1), demand("g", 0));
      Await.until("f and g told", () -> told.contains("ns/f") && told.contains("ns/g"));
      told.clear();
      a.report(demand("f", 4), demand("g", 0));
      Await.until("f told", () -> told.contains("ns/f"));
      assertThat(told).as("g's numbers did not change").doesNotContain("ns/g");

      b.failing(true);
      listed.set(Set.of(a.uri(), b.uri()));
      Await.until("the silent replica listed", () -> collector.demandOf("ns", "f").queued() == 4
          && !collector.demandOf("ns", "f").complete());
      b.failing(false);
      Await.until("complete once it answers", () -> collector.demandOf("ns", "f").complete());
    }
  }
}
