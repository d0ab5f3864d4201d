package dev.fc.operator.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.InstanceLifecycleConfig;
import dev.fc.operator.api.LifecycleHook;
import dev.fc.operator.api.FcRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The s.yaml samples under src/test/resources/convert, converted with their code folders. */
class ConvertSamplesTest {
  private static final Path SAMPLES = Path.of("src/test/resources/convert");

  static ConversionResult convert(String sample, Map<String, String> environment) throws Exception {
    Path file = SAMPLES.resolve(sample);
    return new SYamlConverter(environment::get, new CodeFolderReader(Set.of(file))).convert(file,
        Files.readString(file));
  }

  private static FunctionInstance only(ConversionResult result) {
    assertThat(result.errors()).isEmpty();
    assertThat(result.functions()).hasSize(1);
    return result.functions().get(0).functionInstance();
  }

  @Test
  void fc3MapsEveryFunctionPropAndWarnsAboutTheRest() throws Exception {
    ConversionResult result = convert("fc3/s.yaml", Map.of("DB_HOST", "db.local"));
    FunctionInstance fi = only(result);
    assertThat(result.functions().get(0).origin()).hasToString("resources.emoji");
    assertThat(fi.getMetadata().getName()).isEqualTo("emoji-py");
    assertThat(fi.getMetadata().getAnnotations()).containsExactly(Map.entry("fc.dev/description", "Emoji of the day"));
    FunctionInstanceSpec spec = fi.getSpec();
    assertThat(spec.runtime()).isEqualTo(FcRuntime.PYTHON_3_10);
    assertThat(spec.getHandler()).isEqualTo("index.handler");
    assertThat(spec.getMemorySize()).isEqualTo(256);
    assertThat(spec.getCpu()).isEqualTo(0.25);
    assertThat(spec.getTimeout()).isEqualTo(30);
    assertThat(spec.getInstanceConcurrency()).isEqualTo(4);
    assertThat(spec.getEnvironmentVariables()).containsExactly(
        Map.entry("PYTHONPATH", "/code:/code/python"),
        Map.entry("DB_HOST", "db.local"),
        Map.entry("DB_USER", "${env('DB_USER')}"),
        Map.entry("ACCOUNT", "${config('AccountID')}"),
        Map.entry("GREETING", "hello from cn-hangzhou"),
        Map.entry("RATIO", "0.10"));
    assertThat(spec.getInstanceLifecycleConfig()).isEqualTo(new InstanceLifecycleConfig(
        new LifecycleHook("index.initialize", 20), new LifecycleHook("index.pre_stop", 10)));
    assertThat(spec.getCode().getInline()).containsOnlyKeys("index.py", "python/lib.py");
    assertThat(spec.getCode().getInline().get("python/lib.py")).contains("😄");
    String file = "warning: src/test/resources/convert/fc3/s.yaml:";
    assertThat(result.warnings()).map(Diagnostic::toString).containsExactly(
        file + "2: name has no equivalent in FunctionInstance; ignored",
        file + "3: access has no equivalent in FunctionInstance; ignored",
        file + "17: resources.emoji.props.region has no equivalent in FunctionInstance; ignored",
        file + "18: resources.emoji.props.functionName \"emoji_Py\" is not a valid FunctionInstance name (lower-case "
            + "letters, digits and '-', starting with a letter, at most 63); using \"emoji-py\"",
        file + "27: resources.emoji.props.diskSize has no equivalent in FunctionInstance; ignored",
        file + "28: resources.emoji.props.role has no equivalent in FunctionInstance; ignored",
        file + "32: resources.emoji.props.environmentVariables.DB_USER uses ${env('DB_USER')}, but the environment "
            + "variable DB_USER is not set; left as it is",
        file + "33: resources.emoji.props.environmentVariables.ACCOUNT uses ${config('AccountID')}, which convert "
            + "cannot fill in (it fills in ${vars.*}, ${env.*} and ${env('*')}); left as it is",
        file + "43: resources.emoji.props.vpcConfig has no equivalent in FunctionInstance; ignored",
        file + "44: resources.emoji.props.logConfig has no equivalent in FunctionInstance; ignored",
        file + "45: resources.emoji.props.layers has no equivalent in FunctionInstance; ignored",
        file + "47: resources.emoji.props.triggers has no equivalent in FunctionInstance; ignored",
        file + "50: resources.domain is a \"fc3-domain\" component, not fc3; skipped");
  }

  @Test
  void fc2MapsTheFunctionAndItsInitializerAndDropsPreFreeze() throws Exception {
    ConversionResult result = convert("fc2/s.yaml", Map.of());
    FunctionInstance fi = only(result);
    assertThat(result.functions().get(0).origin()).hasToString("services.hello");
    assertThat(fi.getMetadata().getName()).isEqualTo("hello-world");
    assertThat(fi.getMetadata().getAnnotations()).containsEntry("fc.dev/description", "Hello with hooks");
    FunctionInstanceSpec spec = fi.getSpec();
    assertThat(spec.runtime()).isEqualTo(FcRuntime.PYTHON_3_9);
    assertThat(spec.getHandler()).isEqualTo("index.handler");
    assertThat(spec.getMemorySize()).isEqualTo(128);
    assertThat(spec.getTimeout()).isEqualTo(60);
    assertThat(spec.getEnvironmentVariables()).containsExactly(Map.entry("STAGE", "test"));
    assertThat(spec.getInstanceLifecycleConfig()).isEqualTo(new InstanceLifecycleConfig(
        new LifecycleHook("index.initialize", 20), new LifecycleHook("index.pre_stop", 10)));
    assertThat(spec.getCode().getInline()).containsOnlyKeys("index.py");
    String file = "warning: src/test/resources/convert/fc2/s.yaml:";
    assertThat(result.warnings()).map(Diagnostic::toString).containsExactly(
        file + "2: name has no equivalent in FunctionInstance; ignored",
        file + "3: access has no equivalent in FunctionInstance; ignored",
        file + "14: services.hello.actions has no equivalent in FunctionInstance; ignored",
        file + "19: services.hello.props.region has no equivalent in FunctionInstance; ignored",
        file + "20: services.hello.props.service has no equivalent in FunctionInstance; ignored",
        file + "22: services.hello.props.function.name \"hello_world\" is not a valid FunctionInstance name "
            + "(lower-case letters, digits and '-', starting with a letter, at most 63); using \"hello-world\"",
        file + "24: services.hello.props.function.runtime python3 (FC's Python 3.6) has no equivalent; using "
            + "python3.9, the oldest Python FunctionInstance runs: check the code runs on it",
        file + "35: services.hello.props.function.instanceLifecycleConfig.preFreeze is not supported in fc3, "
            + "which FunctionInstance follows; ignored",
        file + "40: services.hello.props.function.instanceType has no equivalent in FunctionInstance; ignored",
        file + "41: services.hello.props.triggers has no equivalent in FunctionInstance; ignored",
        file + "47: services.site is a \"devsapp/oss\" component, not fc; skipped");
  }

  @Test
  void theFcDocsSampleOnceIndentedConvertsWithPython3AsPython39() throws Exception {
    ConversionResult result = convert("docs-sample-fixed/s.yaml", Map.of());
    FunctionInstance fi = only(result);
    assertThat(fi.getMetadata().getName()).isEqualTo("emojipy");
    assertThat(fi.getSpec().runtime()).isEqualTo(FcRuntime.PYTHON_3_9);
    assertThat(fi.getSpec().getEnvironmentVariables())
        .containsExactly(Map.entry("PYTHONPATH", "/code:/code/python:/opt/python"));
    assertThat(fi.getSpec().getInstanceLifecycleConfig()).isEqualTo(new InstanceLifecycleConfig(
        new LifecycleHook("index.initialize", 60), new LifecycleHook("index.preStop", 60)));
    // code: ./ is the s.yaml's own folder; the s.yaml itself is not code
    assertThat(fi.getSpec().getCode().getInline()).containsOnlyKeys("index.py");
    String file = "warning: src/test/resources/convert/docs-sample-fixed/s.yaml:";
    assertThat(result.warnings()).map(Diagnostic::toString).containsExactly(
        file + "2: name has no equivalent in FunctionInstance; ignored",
        file + "3: access has no equivalent in FunctionInstance; ignored",
        file + "12: resources.hello_world.props.region has no equivalent in FunctionInstance; ignored",
        file + "15: resources.hello_world.props.runtime python3 (FC's Python 3.6) has no equivalent; using "
            + "python3.9, the oldest Python FunctionInstance runs: check the code runs on it",
        file + "22: resources.hello_world.props.initializationTimeout is fc2's form, which fc3 writes as "
            + "instanceLifecycleConfig.initializer.timeout; ignored");
  }
}
