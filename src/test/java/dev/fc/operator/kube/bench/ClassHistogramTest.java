package dev.fc.operator.kube.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassHistogramTest {
  private static final String BEFORE = """
      12345:
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:          1000          64000  [B (java.base@17.0.15)
         2:           500          12000  java.lang.String (java.base@17.0.15)
         3:            10            400  io.fabric8.kubernetes.api.model.Pod
      Total          1510          76400
      """;
  private static final String AFTER = """
      12345:
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:          3000         164000  [B (java.base@17.0.15)
         2:          1500          36000  java.lang.String (java.base@17.0.15)
         3:           110           4400  io.fabric8.kubernetes.api.model.Pod
         4:           100           2400  dev.fc.operator.Thing
      Total          4710         206800
      """;

  @Test
  void growthPerFunctionIsSortedByBytesAndTotalled() {
    String table = ClassHistogram.parse(AFTER).growthTable(ClassHistogram.parse(BEFORE), 100, 3);

    assertThat(table.lines().skip(2).toList()).containsExactly(
        "| [B | 20.0 | 1000 |",
        "| java.lang.String | 10.0 | 240 |",
        "| io.fabric8.kubernetes.api.model.Pod | 1.0 | 40 |",
        "| all classes | | 1304 |");
  }

  @Test
  void theTotalLineIsNoClass() {
    assertThat(ClassHistogram.parse(AFTER).byClass()).doesNotContainKey("Total").hasSize(4);
  }
}
