package dev.fc.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  /**
   * Pods started side by side in one JVM each pick their ports, and the system hands a port just closed out
   * again: without the memory of what was handed out, 1,000 picks of two held 284 repeats here.
   */
  @Test
  void noPortIsHandedOutTwiceWithinTheRememberedPicks() {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      for (int port : FreePorts.pick(2)) {
        ports.add(port);
      }
    }
    assertThat(new HashSet<>(ports)).hasSize(ports.size());
  }

  @Test
  void thePortsOfOnePickAreDistinctAndFree() {
    int[] ports = FreePorts.pick(8);
    assertThat(ports).doesNotHaveDuplicates();
    for (int port : ports) {
      assertThat(FreePorts.isFree(port)).as("port %d", port).isTrue();
    }
  }
}
