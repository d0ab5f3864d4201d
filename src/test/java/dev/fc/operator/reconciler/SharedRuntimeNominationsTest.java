package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SharedRuntimeNominationsTest {
  private final SharedRuntimeNominations nominations = new SharedRuntimeNominations();
  private final AtomicInteger scans = new AtomicInteger();
  private final FunctionInstance a = fi("ns", "a");
  private final FunctionInstance b = fi("ns", "b");
  private final FunctionInstance c = fi("ns", "c");

  private static FunctionInstance fi(String namespace, String name) {
    FunctionInstance fi = Fixtures.function(name);
    fi.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withUid(namespace + "-" + name)
        .build());
    return fi;
  }

  private static ConfigMap configMap(String namespace, String resourceVersion) {
    return new ConfigMapBuilder().withNewMetadata().withName("fc-runtime-python-abc").withNamespace(namespace)
        .withResourceVersion(resourceVersion).endMetadata().build();
  }

  private List<FunctionInstance> of(ConfigMap configMap, int missing, Predicate<FunctionInstance> live,
      List<FunctionInstance> scanned) {
    return nominations.of(configMap, missing, live, () -> {
      scans.incrementAndGet();
      return scanned;
    });
  }

  private static Predicate<FunctionInstance> liveAmong(FunctionInstance... live) {
    Set<FunctionInstance> set = Set.of(live);
    return set::contains;
  }

  @Test
  void oneScanPerVersionOfTheConfigMapWhileItsNomineesAreEnough() {
    ConfigMap v1 = configMap("ns", "1");
    assertThat(of(v1, 2, liveAmong(a, b, c), List.of(a, b))).containsExactly(a, b);
    assertThat(of(v1, 2, liveAmong(a, b, c), List.of(c))).containsExactly(a, b);
    assertThat(of(v1, 1, liveAmong(a, b, c), List.of(c))).containsExactly(a, b);
    assertThat(scans).hasValue(1);
    assertThat(of(configMap("ns", "2"), 1, liveAmong(a, b, c), List.of(b))).containsExactly(b);
    assertThat(scans).hasValue(2);
  }

  @Test
  void aNomineeGoneOrTooFewNomineesScanAgain() {
    ConfigMap v1 = configMap("ns", "1");
    of(v1, 2, liveAmong(a, b, c), List.of(a, b));
    assertThat(of(v1, 2, liveAmong(b, c), List.of(b, c))).containsExactly(b, c);
    assertThat(of(v1, 2, liveAmong(b, c), List.of())).containsExactly(b, c);
    assertThat(scans).hasValue(2);
    ConfigMap v2 = configMap("ns", "2");
    of(v2, 2, liveAmong(a, b, c), List.of(a));
    of(v2, 2, liveAmong(a, b, c), List.of(a));
    assertThat(scans).as("one nominee where two are missing: every call scans").hasValue(4);
  }

  @Test
  void theConfigMapsThatNominatedAFunctionAreFoundByItOnlyInItsNamespace() {
    ConfigMap here = configMap("ns", "1");
    ConfigMap there = configMap("other", "7");
    FunctionInstance otherA = fi("other", "a");
    of(here, 2, liveAmong(a, b), List.of(a, b));
    of(there, 1, liveAmong(otherA), List.of(otherA));
    assertThat(nominations.naming(a)).containsExactly(ResourceID.fromResource(here));
    assertThat(nominations.naming(otherA)).containsExactly(ResourceID.fromResource(there));
    assertThat(nominations.naming(c)).isEmpty();
    nominations.remove(ResourceID.fromResource(here));
    assertThat(nominations.naming(a)).isEmpty();
  }
}
