package dev.fc.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OwnershipTest {
  private static final List<FunctionKey> FUNCTIONS =
      IntStream.range(0, 3000).mapToObj(i -> new FunctionKey("ns-" + i % 7, "f-" + i)).toList();

  private static Map<FunctionKey, String> owners(List<String> replicas) {
    Map<FunctionKey, String> out = new HashMap<>();
    FUNCTIONS.forEach(f -> out.put(f, Ownership.owner(f, replicas)));
    return out;
  }

  @Test
  void theOwnerDependsOnlyOnTheFunctionAndTheSetNotTheOrderNorTheJvm() {
    FunctionKey f = new FunctionKey("ns", "f");
    assertThat(Ownership.owner(f, List.of("gw-a", "gw-b", "gw-c")))
        .isEqualTo(Ownership.owner(f, List.of("gw-c", "gw-a", "gw-b")));
    assertThat(owners(List.of("gw-a", "gw-b"))).isEqualTo(owners(List.of("gw-b", "gw-a")));
    // fixed values: a change of the hash would split ownership between replicas of two versions
    assertThat(Ownership.weight(f, "gw-a")).isEqualTo(9014871403488864251L);
    assertThat(Ownership.weight(f, "gw-b")).isEqualTo(827509081774147510L);
    assertThat(Ownership.owner(f, List.of("gw-b", "gw-a"))).isEqualTo("gw-a");
    assertThat(Ownership.owner(f, List.of("only"))).isEqualTo("only");
    assertThat(Ownership.owner(new FunctionKey("ns", "f"), List.of("x", "y"))).isEqualTo(
        Long.compareUnsigned(Ownership.weight(f, "x"), Ownership.weight(f, "y")) > 0 ? "x" : "y");
  }

  @Test
  void functionsSpreadOverTheReplicas() {
    List<String> replicas = List.of("fc-operator-gateway-7d9f-abcde", "fc-operator-gateway-7d9f-q8d1m",
        "fc-operator-gateway-7d9f-z0c4r");
    Map<String, Long> counts = new HashMap<>();
    owners(replicas).values().forEach(r -> counts.merge(r, 1L, Long::sum));
    assertThat(counts).containsOnlyKeys(replicas);
    counts.values().forEach(n -> assertThat(n).as("about a third of 3000 each: " + counts).isBetween(850L, 1150L));
  }

  @Test
  void whenAReplicaLeavesOnlyItsFunctionsMoveAndANewOneTakesOnlyWhatItWins() {
    Map<FunctionKey, String> three = owners(List.of("a", "b", "c"));
    Map<FunctionKey, String> two = owners(List.of("a", "c"));
    FUNCTIONS.forEach(f -> {
      if (!three.get(f).equals("b")) {
        assertThat(two.get(f)).as("%s stays", f).isEqualTo(three.get(f));
      }
    });
    assertThat(three.values()).contains("b");
    Map<FunctionKey, String> four = owners(List.of("a", "b", "c", "d"));
    FUNCTIONS.forEach(f -> assertThat(four.get(f)).isIn(three.get(f), "d"));
    assertThat(four.values().stream().filter("d"::equals).count()).isBetween(600L, 900L);
  }

  @Test
  void noReplicasIsAnError() {
    assertThatThrownBy(() -> Ownership.owner(new FunctionKey("ns", "f"), List.of()))
        .hasMessageContaining("ns/f");
  }

  @Test
  void thePeerSetNamesTheOwnerUnlessItIsThisReplicaOrNoneIsKnown() {
    PeerSet a = new PeerSet("a");
    FunctionKey f = FUNCTIONS.stream().filter(k -> Ownership.owner(k, List.of("a", "b")).equals("b")).findFirst()
        .orElseThrow();
    FunctionKey g = FUNCTIONS.stream().filter(k -> Ownership.owner(k, List.of("a", "b")).equals("a")).findFirst()
        .orElseThrow();
    assertThat(a.ownerOf(f)).as("no peers: it owns everything").isEmpty();
    a.replace(List.of(Peer.of("a", "10.0.0.1", 8080), Peer.of("b", "10.0.0.2", 8080)));
    assertThat(a.ownerOf(f)).contains(new Peer("b", "10.0.0.2:8080"));
    assertThat(a.ownerOf(g)).isEmpty();
    a.replace(List.of(Peer.of("b", "fd00::2", 8080)));
    assertThat(a.ownerOf(g)).as("not ready itself: the others own everything").contains(new Peer("b", "[fd00::2]:8080"));
    a.replace(List.of());
    assertThat(a.ownerOf(f)).isEmpty();
  }
}
