package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void dueTheFirstTimeThenOnlyOnceTheIntervalHasPassedSinceTheLastDue() {
    Throttle throttle = new Throttle(Duration.ofSeconds(1));
    assertThat(throttle.due(T0)).isTrue();
    assertThat(throttle.due(T0)).isFalse();
    assertThat(throttle.due(T0.plusMillis(999))).isFalse();
    assertThat(throttle.due(T0.plusSeconds(1))).as("the interval must have passed, not only been reached").isFalse();
    assertThat(throttle.due(T0.plusMillis(1001))).isTrue();
    assertThat(throttle.due(T0.plusMillis(1500))).as("counted from the last due, not the first").isFalse();
    assertThat(throttle.due(T0.plusMillis(2002))).isTrue();
  }

  @Test
  void aClockGoingBackIsNotDue() {
    Throttle throttle = new Throttle(Duration.ofSeconds(1));
    assertThat(throttle.due(T0)).isTrue();
    assertThat(throttle.due(T0.minusSeconds(10))).isFalse();
  }
}
