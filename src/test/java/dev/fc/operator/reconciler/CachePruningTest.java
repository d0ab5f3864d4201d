package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every pruned cache object keeps of its annotations, whatever its kind. */
class CachePruningTest {
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of("Pod", (Function<ObjectMeta, HasMetadata>) m -> CachePruning.pod(
            new PodBuilder().withMetadata(m).build())),
        Arguments.of("ConfigMap", (Function<ObjectMeta, HasMetadata>) m -> CachePruning.configMap(
            new ConfigMapBuilder().withMetadata(m).build())),
        Arguments.of("Service", (Function<ObjectMeta, HasMetadata>) m -> CachePruning.service(
            new ServiceBuilder().withMetadata(m).build())),
        Arguments.of("FunctionInstance", (Function<ObjectMeta, HasMetadata>) m -> {
          FunctionInstance fi = new FunctionInstance();
          fi.setMetadata(m);
          return CachePruning.functionInstance(fi);
        }));
  }

  /** java-operator-sdk's event source reads the map of every object an event brings, without a null check. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anObjectWithoutAnnotationsIsCachedWithAnEmptyMapNotNull(String kind, Function<ObjectMeta, HasMetadata> prune) {
    ObjectMeta none = new ObjectMetaBuilder().withName("x").withNamespace("ns").build();
    none.setAnnotations(null);
    assertThat(prune.apply(none).getMetadata().getAnnotations()).isNotNull().isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void onlyTheFrameworksAnnotationIsKept(String kind, Function<ObjectMeta, HasMetadata> prune) {
    ObjectMeta meta = new ObjectMetaBuilder().withName("x").withNamespace("ns")
        .withAnnotations(Map.of(LAST_APPLIED, "{\"a whole copy\":1}", InformerEventSource.PREVIOUS_ANNOTATION_KEY,
            "source-id,42"))
        .build();
    assertThat(prune.apply(meta).getMetadata().getAnnotations())
        .containsExactly(Map.entry(InformerEventSource.PREVIOUS_ANNOTATION_KEY, "source-id,42"));
  }

  @org.junit.jupiter.api.Test
  void aCustomRuntimesPrunedPodStillSaysWhichContainerCarriesTheContract() {
    var pod = dev.fc.operator.desired.Fixtures.builder()
        .build(dev.fc.operator.desired.Fixtures.customContainer("app", null)).podTemplate();
    var pruned = CachePruning.pod(pod);
    assertThat(dev.fc.operator.desired.InstanceContainers.lifecycleName(pruned))
        .isEqualTo(dev.fc.operator.contract.RuntimeContainer.ADAPTER_NAME);
    assertThat(pruned.getSpec().getContainers()).extracting(c -> c.getName())
        .containsExactly(dev.fc.operator.contract.RuntimeContainer.NAME,
            dev.fc.operator.contract.RuntimeContainer.ADAPTER_NAME);
    assertThat(pruned.getSpec().getContainers().get(1).getEnv()).as("nothing else of the adapter is kept").isEmpty();
  }
}
