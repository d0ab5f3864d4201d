package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.ConfigMapFactory;
import dev.fc.operator.desired.DesiredState;
import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's cache keeps a FunctionInstance's inline code as a digest, not as files: everything reconciling
 * decides from it (validation, the pod, the code ConfigMap's name) must be what it decides from the files.
 */
class CachedCodeTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final DesiredStateBuilder BUILDER = Fixtures.builder();
  private static final String BIG = "x = 1\n".repeat(11_000);

  private static FunctionInstance withCode(Map<String, String> files, Consumer<FunctionInstance> more) {
    FunctionInstance fi = Fixtures.function("emoji");
    fi.getSpec().setCode(Code.inline(files));
    more.accept(fi);
    return fi;
  }

  private static Map<String, String> files(String... pathsAndContents) {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      files.put(pathsAndContents[i], pathsAndContents[i + 1]);
    }
    return files;
  }

  static Stream<Arguments> functions() {
    Map<String, String> withNull = new HashMap<>(Map.of("index.py", Fixtures.CODE));
    withNull.put("empty.py", null);
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      many.put("f" + i + ".py", "");
    }
    return Stream.of(
        Arguments.of("valid, one file", withCode(files("index.py", Fixtures.CODE), fi -> {})),
        Arguments.of("valid, folders", withCode(files("index.py", Fixtures.CODE, "lib/util.py", "X = 2\n",
            "lib/deep/data.json", "{}"), fi -> {})),
        Arguments.of("64 KB", withCode(files("index.py", Fixtures.CODE, "big.py", BIG), fi -> {})),
        Arguments.of("handler's file missing", withCode(files("main.py", Fixtures.CODE), fi -> {})),
        Arguments.of("a file without content", withCode(withNull, fi -> {})),
        Arguments.of("no file", withCode(Map.of(), fi -> {})),
        Arguments.of("too many files", withCode(many, fi -> {})),
        Arguments.of("over 1 MiB", withCode(files("index.py", Fixtures.CODE, "big.py", BIG.repeat(17)), fi -> {})),
        Arguments.of("bad paths", withCode(files("index.py", Fixtures.CODE, "../up.py", "", ".hidden", "",
            "a/b/c/d/e/f/g/h/i/j/k/l/m/n.py", ""), fi -> {})),
        Arguments.of("Node.js", withCode(files("index.mjs", "export const handler = async () => 1;\n"),
            fi -> {
              fi.getSpec().setRuntime("nodejs20");
              fi.getSpec().setInstanceLifecycleConfig(null);
            })));
  }

  /** What the cache keeps, through the copy java-operator-sdk makes for each reconcile. */
  private static FunctionInstance cachedCopy(FunctionInstance fi) {
    FunctionInstance cached = CachePruning.functionInstance(JSON.clone(fi));
    return new CacheKeepingCloner(JSON).clone(cached);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void theCacheHoldsNoCodeAndDecidesAsTheFilesDo(String name, FunctionInstance fi) {
    FunctionInstance cached = cachedCopy(fi);
    assertThat(cached.getSpec().getCode().getInline()).isNull();
    assertThat(cached.getSpec().getCode().inlineDropped()).isTrue();
    assertThat(JSON.asJson(cached)).doesNotContain("def handler").doesNotContain("x = 1");

    assertThat(SpecValidator.validate(cached)).isEqualTo(SpecValidator.validate(fi));
    if (SpecValidator.validate(fi).isEmpty()) {
      DesiredState fromFiles = BUILDER.build(fi);
      DesiredState fromDigest = BUILDER.build(cached);
      assertThat(fromDigest.templateHash()).isEqualTo(fromFiles.templateHash());
      assertThat(fromDigest.podTemplate()).isEqualTo(fromFiles.podTemplate());
      assertThat(fromDigest.configMaps()).extracting(cm -> cm.getMetadata().getName())
          .isEqualTo(fromFiles.configMaps().stream().map(cm -> cm.getMetadata().getName()).toList());
      ConfigMap code = fromDigest.configMaps().stream().filter(cm -> !ConfigMapFactory.isSharedRuntime(cm))
          .findFirst().orElseThrow();
      assertThat(ConfigMapFactory.hasData(code)).as("read from the API when written").isFalse();
    }
  }

  @Test
  void whatTheCacheKeepsOfTheCodeDoesNotGrowWithTheCode() {
    var small = cachedCopy(withCode(files("index.py", Fixtures.CODE, "big.py", "x = 1\n"), fi -> {}))
        .getSpec().getCode().inlineDigest();
    var big = cachedCopy(withCode(files("index.py", Fixtures.CODE, "big.py", BIG), fi -> {}))
        .getSpec().getCode().inlineDigest();
    assertThat(big.paths()).isEqualTo(small.paths());
    assertThat(big.toString().length()).isEqualTo(small.toString().length() + String.valueOf(big.bytes()).length()
        - String.valueOf(small.bytes()).length());
    assertThat(big.bytes()).isEqualTo(BIG.length() + Fixtures.CODE.length());
  }

  @Test
  void aCopyOfAnUncachedFunctionIsAPlainCopy() {
    FunctionInstance fi = withCode(files("index.py", Fixtures.CODE), f -> {});
    FunctionInstance copy = new CacheKeepingCloner(JSON).clone(fi);
    assertThat(copy).isNotSameAs(fi);
    assertThat(JSON.asJson(copy)).isEqualTo(JSON.asJson(fi));
    assertThat(copy.getSpec().getCode().inlineDropped()).isFalse();
  }
}
