package dev.fc.operator.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.InstanceLifecycleConfig;
import dev.fc.operator.api.LifecycleHook;
import dev.fc.operator.input.InputException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mapping rules shown on small inline s.yaml files. */
class ConvertMappingTest {
  private static ConversionResult convert(String text) throws InputException {
    return new SYamlConverter(Map.of("STAGE", "prod")::get, (project, folder) -> Map.of("index.py", "# code\n"))
        .convert(Path.of("s.yaml"), text);
  }

  private static ConversionResult convertNode(String text) throws InputException {
    return new SYamlConverter(Map.<String, String>of()::get, (project, folder) -> Map.of("index.js", "// code\n"))
        .convert(Path.of("s.yaml"), text);
  }

  @Test
  void nodejs20IsKeptAndFcsOlderNodeRuntimesRunAsNodejs18WithAWarning() throws InputException {
    String yaml = """
        edition: 3.0.0
        resources:
          f:
            component: fc3
            props:
              functionName: f
              runtime: %s
              handler: index.handler
              code: ./
        """;
    ConversionResult current = convertNode(yaml.formatted("nodejs20"));
    assertThat(only(current).getSpec().getRuntime()).isEqualTo("nodejs20");
    assertThat(current.warnings()).isEmpty();
    ConversionResult older = convertNode(yaml.formatted("nodejs14"));
    assertThat(only(older).getSpec().getRuntime()).isEqualTo("nodejs18");
    assertThat(older.warnings()).map(Diagnostic::toString).containsExactly("warning: s.yaml:7: "
        + "resources.f.props.runtime nodejs14 runs as nodejs18, the oldest Node.js FunctionInstance runs: check the "
        + "code runs on it");
  }

  private static FunctionInstance only(ConversionResult result) {
    assertThat(result.errors()).isEmpty();
    assertThat(result.functions()).hasSize(1);
    return result.functions().get(0).functionInstance();
  }

  @Test
  void withoutFunctionNameTheResourceNamesTheFunction() throws InputException {
    ConversionResult result = convert("""
        edition: 3.0.0
        resources:
          Hello_World:
            component: devsapp/fc3@0.1.2
            props:
              runtime: python3.12
              handler: index.handler
              code: ./
        """);
    assertThat(only(result).getMetadata().getName()).isEqualTo("hello-world");
    assertThat(result.warnings()).map(Diagnostic::toString).containsExactly("warning: s.yaml:5: "
        + "resources.Hello_World.props.functionName is not set; the FunctionInstance is named \"hello-world\" after "
        + "the resource");
  }

  @Test
  void fc3CustomContainerConfigMapsEntrypointAndCommandToCommandAndArgs() throws InputException {
    ConversionResult result = convert("""
        edition: 3.0.0
        resources:
          app:
            component: fc3
            props:
              functionName: app
              runtime: custom-container
              handler: index.handler
              customContainerConfig:
                image: registry.example.com/team/app:1.0
                entrypoint: [node]
                command: [server.js, --quiet]
                port: 8080
        """);
    var config = only(result).getSpec().getCustomContainerConfig();
    assertThat(config.getImage()).isEqualTo("registry.example.com/team/app:1.0");
    assertThat(config.getCommand()).containsExactly("node");
    assertThat(config.getArgs()).containsExactly("server.js", "--quiet");
    assertThat(config.getPort()).isEqualTo(8080);
    assertThat(only(result).getSpec().getCode()).isNull();
  }

  @Test
  void fc2CustomContainerConfigTakesItsJsonTextsAndAnOlderCustomRuntimeRunsItsBootstrapOnDebian12()
      throws InputException {
    ConversionResult result = convert("""
        edition: 1.0.0
        services:
          svc:
            component: devsapp/fc
            props:
              service:
                name: svc
              function:
                name: app
                runtime: custom-container
                handler: index.handler
                customContainerConfig:
                  image: registry.example.com/team/app:1.0
                  command: '["python3"]'
                  args: '["app.py"]'
        """);
    var config = only(result).getSpec().getCustomContainerConfig();
    assertThat(config.getCommand()).containsExactly("python3");
    assertThat(config.getArgs()).containsExactly("app.py");

    ConversionResult custom = convert("""
        edition: 3.0.0
        resources:
          app:
            component: fc3
            props:
              functionName: app
              runtime: custom.debian10
              handler: index.handler
              code: ./
        """);
    assertThat(only(custom).getSpec().getRuntime()).isEqualTo("custom.debian12");
    assertThat(only(custom).getSpec().getCustomRuntimeConfig().getCommand()).containsExactly("/code/bootstrap");
    assertThat(custom.warnings()).map(Diagnostic::toString)
        .anySatisfy(w -> assertThat(w).contains("custom.debian10 runs as custom.debian12"))
        .anySatisfy(w -> assertThat(w).contains("customRuntimeConfig is not set: FC runs /code/bootstrap"));
  }

  @Test
  void aCustomContainersCommandThatIsNoListIsAnErrorNamingTheField() throws InputException {
    ConversionResult result = convert("""
        edition: 3.0.0
        resources:
          app:
            component: fc3
            props:
              functionName: app
              runtime: custom-container
              handler: index.handler
              customContainerConfig:
                image: img
                entrypoint: {a: b}
        """);
    assertThat(result.errors()).map(Diagnostic::toString)
        .anySatisfy(e -> assertThat(e).contains("customContainerConfig.entrypoint must be a list of texts"));
  }

  @Test
  void aHookWithAnEmptyHandlerIsNoHookAndItsOtherKeysAreWarnedAbout() throws InputException {
    ConversionResult result = convert("""
        edition: 3.0.0
        resources:
          f:
            component: fc3
            props:
              functionName: f
              runtime: python3.10
              handler: index.handler
              code: ./
              instanceLifecycleConfig:
                initializer:
                  handler: ''
                  timeout: 3
                preStop:
                  handler: index.pre_stop
                  command: [python, stop.py]
                preFreeze:
                  handler: index.freeze
        """);
    assertThat(only(result).getSpec().getInstanceLifecycleConfig())
        .isEqualTo(new InstanceLifecycleConfig(null, new LifecycleHook("index.pre_stop", null)));
    assertThat(result.warnings()).map(Diagnostic::toString).containsExactly(
        "warning: s.yaml:11: resources.f.props.instanceLifecycleConfig.initializer has no handler, so the function "
            + "has no Initializer hook",
        "warning: s.yaml:16: resources.f.props.instanceLifecycleConfig.preStop.command has no equivalent in "
            + "FunctionInstance; ignored",
        "warning: s.yaml:17: resources.f.props.instanceLifecycleConfig.preFreeze has no equivalent in "
            + "FunctionInstance; ignored");
  }

  @Test
  void aVariableMayHoldAWholeMappingOrANumber() throws InputException {
    ConversionResult result = convert("""
        edition: 1.0.0
        vars:
          fn:
            name: f
            runtime: python3.10
            handler: index.handler
            codeUri: ./
            memorySize: 1024
            environmentVariables:
              STAGE: ${env.STAGE}
        services:
          s:
            component: fc
            props:
              function: ${vars.fn}
        """);
    FunctionInstance fi = only(result);
    assertThat(fi.getSpec().getMemorySize()).isEqualTo(1024);
    assertThat(fi.getSpec().getEnvironmentVariables()).containsExactly(Map.entry("STAGE", "prod"));
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void expressionsInIgnoredPropsDoNotWarnTwice() throws InputException {
    ConversionResult result = convert("""
        edition: 3.0.0
        resources:
          f:
            component: fc3
            props:
              region: ${config('region')}
              functionName: f
              runtime: python3.10
              handler: index.handler
              code: ./
        """);
    only(result);
    assertThat(result.warnings()).map(Diagnostic::toString).containsExactly(
        "warning: s.yaml:6: resources.f.props.region has no equivalent in FunctionInstance; ignored");
  }
}
