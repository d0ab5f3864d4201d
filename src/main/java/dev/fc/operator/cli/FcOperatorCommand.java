package dev.fc.operator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fc-operator} command line. */
@Command(name = "fc-operator", mixinStandardHelpOptions = true, version = "fc-operator 0.1.0",
    description = "FC-style functions with Initializer and PreStop hooks on Kubernetes.",
    subcommands = {RenderCommand.class, LocalCommand.class, RunCommand.class, GatewayCommand.class,
        ConvertCommand.class,
        CommandLine.HelpCommand.class})
public class FcOperatorCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommonPoolParallelism.ensure(Runtime.getRuntime().availableProcessors(), System.getProperties());
    System.exit(commandLine().execute(args));
  }

  /** The command line as tests drive it; usage errors exit 2. */
  public static CommandLine commandLine() {
    return new CommandLine(new FcOperatorCommand());
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
