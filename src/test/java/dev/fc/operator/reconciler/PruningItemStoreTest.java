package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PruningItemStoreTest {
  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
        .withData(Map.of("big", "x".repeat(1000))).build();
  }

  @Test
  void keepsThePrunedCopyAndTellsOfWhatItDropsOnceItIsGone() {
    List<String> told = new ArrayList<>();
    PruningItemStore<ConfigMap> store = new PruningItemStore<>(cm -> new ConfigMapBuilder(cm).withData(null).build(),
        gone -> told.add(gone.getMetadata().getName()));
    store.put("ns/a", configMap("a"));
    store.put("ns/b", configMap("b"));
    assertThat(store.get("ns/a").getData()).isNull();
    assertThat(store.remove("ns/a").getMetadata().getName()).isEqualTo("a");
    assertThat(store.get("ns/a")).isNull();
    assertThat(store.remove("ns/missing")).isNull();
    assertThat(told).containsExactly("a");
  }
}
