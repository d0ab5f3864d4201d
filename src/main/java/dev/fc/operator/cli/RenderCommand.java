package dev.fc.operator.cli;

import dev.fc.operator.manifest.FunctionInstanceFile;
import dev.fc.operator.input.InputException;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.RuntimeFiles;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code render FILE}: print every object the operator would create for the FunctionInstances in FILE. */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = {
        "Prints, as multi-document YAML, every object the operator would create for the FunctionInstance(s) "
            + "in FILE, after defaults: ConfigMaps, the Service, and one pod per instance.",
        "Invalid input exits with status 2 and one line on stderr naming the field."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:rendered", "2:invalid input (the message names the file and field)"})
public class RenderCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "YAML file with one or more FunctionInstances.")
  Path file;

  @Mixin
  InstanceSettingsOptions configOptions;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<FunctionInstance> instances;
    try {
      instances = FunctionInstanceFile.read(file);
    } catch (InputException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    DesiredStateBuilder builder = new DesiredStateBuilder(configOptions.toSettings(), RuntimeFiles.load());
    KubernetesSerialization serialization = new KubernetesSerialization();
    // One FunctionInstance at a time: what is held in memory is one function's objects, never the file's.
    for (FunctionInstance fi : instances) {
      for (HasMetadata object : builder.build(fi).allObjects()) {
        out.print(serialization.asYaml(object));
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
