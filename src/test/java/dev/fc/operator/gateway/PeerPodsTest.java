package dev.fc.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerPodsTest {
  private static PodBuilder pod(String name, String ip, String ready) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().withPodIP(ip)
        .endStatus();
    return ready == null ? pod : pod.editStatus().addNewCondition().withType("Ready").withStatus(ready)
        .endCondition().endStatus();
  }

  @Test
  void onlyReadyNonTerminatingPodsWithAnAddressArePeersOnTheInvocationPort() {
    List<Pod> pods = List.of(
        pod("gw-a", "10.0.0.1", "True").build(),
        pod("gw-b", "fd00::2", "True").build(),
        pod("not-ready", "10.0.0.3", "False").build(),
        pod("no-conditions", "10.0.0.4", null).build(),
        pod("no-ip", null, "True").build(),
        pod("terminating", "10.0.0.6", "True").editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
            .endMetadata().build());
    assertThat(PeerPods.peersOf(pods, 8080)).containsExactly(
        new Peer("gw-a", "10.0.0.1:8080"), new Peer("gw-b", "[fd00::2]:8080"));
  }
}
