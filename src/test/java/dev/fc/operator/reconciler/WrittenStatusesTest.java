package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WrittenStatusesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static FunctionInstance cached(String ready) {
    FunctionInstance fi = new FunctionInstance();
    fi.setMetadata(new ObjectMetaBuilder().withName("f").withNamespace("ns").withUid("uid-f").build());
    fi.setStatus(status(ready));
    return fi;
  }

  private static FunctionInstanceStatus status(String ready) {
    FunctionInstanceStatus status = new FunctionInstanceStatus();
    status.setReady(ready);
    return status;
  }

  @Test
  void whileTheCacheShowsAnOlderStatusTheWrittenOneCounts() {
    WrittenStatuses statuses = new WrittenStatuses(Clock.fixed(T0, ZoneOffset.UTC));
    statuses.wrote(cached("0/1"), status("1/1"));

    assertThat(statuses.previous(cached("0/1")).getReady()).isEqualTo("1/1");
    assertThat(statuses.held()).isEqualTo(1);
  }

  @Test
  void onceTheCacheShowsTheWrittenStatusItIsForgotten() {
    WrittenStatuses statuses = new WrittenStatuses(Clock.fixed(T0, ZoneOffset.UTC));
    statuses.wrote(cached("0/1"), status("1/1"));

    assertThat(statuses.previous(cached("1/1")).getReady()).isEqualTo("1/1");
    assertThat(statuses.held()).as("held once, in the cache").isZero();
    assertThat(statuses.previous(cached("0/1")).getReady()).as("forgotten: the cache's status counts again")
        .isEqualTo("0/1");
  }

  @Test
  void afterItsTimeTheCachedStatusCountsEvenIfOlder() {
    SettableClock clock = new SettableClock(T0);
    WrittenStatuses statuses = new WrittenStatuses(clock);
    statuses.wrote(cached("0/1"), status("1/1"));
    clock.set(T0.plus(WrittenStatuses.KEEP).plusMillis(1));

    assertThat(statuses.previous(cached("0/1")).getReady()).isEqualTo("0/1");
  }
}
