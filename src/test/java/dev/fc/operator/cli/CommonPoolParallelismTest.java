package dev.fc.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class CommonPoolParallelismTest {
  @Test
  void oneOrTwoCpusGetACommonPoolOfTwoThreads() {
    for (int cpus : new int[] {1, 2}) {
      Properties properties = new Properties();
      CommonPoolParallelism.ensure(cpus, properties);
      assertThat(properties.getProperty(CommonPoolParallelism.PROPERTY)).as("%d CPUs", cpus).isEqualTo("2");
    }
  }

  @Test
  void threeCpusOrMoreKeepTheJvmsChoice() {
    Properties properties = new Properties();
    CommonPoolParallelism.ensure(3, properties);
    assertThat(properties.getProperty(CommonPoolParallelism.PROPERTY)).isNull();
  }

  @Test
  void aValueTheUserGaveStays() {
    Properties properties = new Properties();
    properties.setProperty(CommonPoolParallelism.PROPERTY, "1");
    CommonPoolParallelism.ensure(1, properties);
    assertThat(properties.getProperty(CommonPoolParallelism.PROPERTY)).isEqualTo("1");
  }
}
