package dev.fc.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalGracePeriodTest {
  @Test
  void sigtermGetsWhatIsLeftCountedInWholeSecondsAsTheKubeletDoes() {
    assertThat(GracePeriod.afterHook(7, Duration.ofMillis(10))).isEqualTo(7);
    assertThat(GracePeriod.afterHook(7, Duration.ofMillis(1999))).isEqualTo(6);
    assertThat(GracePeriod.afterHook(95, Duration.ofSeconds(30))).isEqualTo(65);
  }

  @Test
  void neverLessThanTwoSecondsEvenWhenTheHookUsedItAll() {
    assertThat(GracePeriod.afterHook(7, Duration.ofSeconds(6))).isEqualTo(2);
    assertThat(GracePeriod.afterHook(7, Duration.ofSeconds(7))).isEqualTo(2);
    assertThat(GracePeriod.hookLimit(7)).isEqualTo(Duration.ofSeconds(7));
  }
}
