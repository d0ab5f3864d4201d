package dev.fc.operator.cli;

import dev.fc.operator.input.IoProblem;
import dev.fc.operator.input.InputText;
import dev.fc.operator.input.InputException;
import dev.fc.operator.convert.CodeFolderReader;
import dev.fc.operator.convert.ConversionResult;
import dev.fc.operator.convert.ConvertedFunction;
import dev.fc.operator.manifest.FunctionInstanceYaml;
import dev.fc.operator.convert.SYamlConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convert S_YAML [-o DIR]}: the functions of a Serverless Devs s.yaml as FunctionInstances. */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = {
        "Converts the functions of a Serverless Devs s.yaml into FunctionInstances.",
        "Reads fc3 (edition 3.0.0, resources with component fc3) and fc2 (edition 1.0.0,",
        "services with component devsapp/fc or fc). Without -o, prints every",
        "FunctionInstance to stdout as multi-document YAML that render and kubectl apply",
        "accept; with -o, writes DIR/<name>.yaml for each. Warnings go to stderr, one",
        "line each.",
        "",
        "Mapped props (every other prop, e.g. region, access, role, vpcConfig, logConfig,",
        "nasConfig, layers, triggers, has no equivalent and gets a warning):",
        "  functionName (fc2: function.name) -> metadata.name, made a DNS-1035 label",
        "    (\"My_Func\" -> \"my-func\", with a warning)",
        "  description -> the annotation fc.dev/description",
        "  runtime -> python3.9, python3.10 or python3.12 as they are; FC's python3",
        "    (Python 3.6) -> python3.9, with a warning; any other runtime is an error",
        "  handler, memorySize, timeout, cpu, instanceConcurrency, environmentVariables",
        "  instanceLifecycleConfig.initializer and .preStop -> {handler, timeout}",
        "    (fc2: initializer + initializationTimeout; preFreeze is dropped, warned)",
        "  code (fc2: codeUri) -> spec.code.inline, read from that folder",
        "",
        "Variables: $${vars.x} and $${vars.a.b} come from the file's vars, $${env.X} and",
        "$${env('X')} from the environment; other expressions stay as written (warned).",
        "A loop, more than 16 levels or a value over 64 Ki characters is an error.",
        "",
        "Code folders (inside the s.yaml's folder: no absolute path, no '..' out, no",
        "symbolic link leading out) are read recursively, keys like",
        "python/lib.py: text files only (UTF-8, no NUL byte), 1 MiB in total at most;",
        "for more, or binary files, use spec.code.configMap or spec.code.image. Skipped:",
        "names starting with '.' (.git, .env, .venv, .DS_Store, .idea, ...), __pycache__",
        "folders, *.pyc and *.pyo files, the s.yaml itself and the output folder.",
        ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:converted (warnings allowed)",
        "2:invalid s.yaml; each error names the file, line and column, and nothing is written"})
public class ConvertCommand implements Callable<Integer> {
  @Parameters(paramLabel = "S_YAML", description = "The Serverless Devs s.yaml (fc3 or fc2).")
  Path file;

  @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR",
      description = "Write one <name>.yaml per function into DIR (created if needed; existing files are "
          + "replaced) instead of printing them.")
  Path outputDir;

  @Spec
  CommandSpec spec;

  private final Function<String, String> environment;

  public ConvertCommand() {
    this(System::getenv);
  }

  /** @param environment environment variable name to value (null when unset), for {@code ${env.X}} */
  public ConvertCommand(Function<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ConversionResult result = convert();
      result.warnings().forEach(err::println);
      if (!result.ok()) {
        result.errors().forEach(err::println);
        return ExitCodes.BAD_INPUT;
      }
      write(result, out);
      return ExitCodes.OK;
    } catch (InputException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private ConversionResult convert() throws InputException {
    String text = InputText.read(file, "the most convert reads of an s.yaml: is it an s.yaml?");
    Set<Path> excluded = new HashSet<>();
    excluded.add(file);
    if (outputDir != null) {
      excluded.add(outputDir);
    }
    return new SYamlConverter(environment, new CodeFolderReader(excluded)).convert(file, text);
  }

  private void write(ConversionResult result, PrintWriter out) throws InputException {
    if (outputDir == null) {
      for (ConvertedFunction function : result.functions()) {
        out.print("---\n" + yaml(function));
      }
      return;
    }
    try {
      Files.createDirectories(outputDir);
    } catch (IOException e) {
      throw new InputException(outputDir + ": cannot create the folder: " + IoProblem.describe(e));
    }
    for (ConvertedFunction function : result.functions()) {
      Path target = outputDir.resolve(function.name() + ".yaml");
      try {
        Files.writeString(target, yaml(function));
      } catch (IOException e) {
        throw new InputException(target + ": cannot write: " + IoProblem.describe(e));
      }
      out.println("wrote " + target);
    }
  }

  private String yaml(ConvertedFunction function) {
    return FunctionInstanceYaml.write(function.functionInstance(),
        "converted by fc-operator convert from " + file + ": " + function.origin());
  }
}
