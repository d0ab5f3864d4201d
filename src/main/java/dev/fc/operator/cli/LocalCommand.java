package dev.fc.operator.cli;

import dev.fc.operator.manifest.FunctionInstanceFile;
import dev.fc.operator.input.InputException;
import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.HandlerType;
import dev.fc.operator.api.SpecDefaults;
import dev.fc.operator.contract.InvocationEndpoint;
import dev.fc.operator.contract.RuntimeContainer;
import dev.fc.operator.contract.RuntimePorts;
import dev.fc.operator.desired.DesiredState;
import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.RuntimeFiles;
import dev.fc.operator.local.Console;
import dev.fc.operator.local.LocalInputException;
import dev.fc.operator.local.LocalKubelet;
import dev.fc.operator.local.PodSandbox;
import dev.fc.operator.local.PortMap;
import dev.fc.operator.local.Ticker;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code local FILE}: one instance of a FunctionInstance on this machine, no cluster. The pod is the one
 * the operator would create ({@link DesiredStateBuilder}); its volumes become a temporary folder, its
 * command runs with the local {@code python3}, and {@link LocalKubelet} drives it with the pod's probes,
 * preStop hook and grace period.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = {
        "Runs one instance of the FunctionInstance in FILE on this machine, without a cluster: the pod the operator "
            + "would create, its command started with the local python3, driven as the kubelet drives it (startup "
            + "probe = Initializer, readiness probe, preStop hook = PreStop, SIGTERM, SIGKILL after the grace period).",
        "With --invoke, POSTs each DATA in order (to /invoke; to / for handlerType http), prints each response body "
            + "on stdout, then stops the instance. Without it, serves the invocation port until Ctrl-C, then stops.",
        "stderr gets the function's output (FC's log lines), [kubelet] and [local] lines, and a last line with the "
            + "exit status.",
        "Env entries with valueFrom (Secrets, ConfigMaps) take the value of the same variable in your environment "
            + "when it is set, and are skipped with a warning otherwise."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:the instance started, answered every invocation and stopped cleanly",
        "1:the instance failed: Initializer failure or timeout, probe failure, invocation error, PreStop failure "
            + "or timeout, or a container that did not stop cleanly",
        "2:bad input (file, options, or code that cannot be fetched locally)"})
public class LocalCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "YAML file with one or more FunctionInstances.")
  Path file;

  @Option(names = "--invoke", paramLabel = "DATA",
      description = "An invocation's body; repeatable, sent in order. Without any, local serves until Ctrl-C.")
  List<String> invocations = new ArrayList<>();

  @Option(names = "--port", paramLabel = "N", defaultValue = "" + RuntimePorts.INVOKE,
      description = "Local port of the invocation port (default: ${DEFAULT-VALUE}; 0 picks a free one). "
          + "The lifecycle port gets a free port.")
  int port;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The FunctionInstance to run when FILE holds several.")
  String name;

  @Option(names = "--code-dir", paramLabel = "DIR",
      description = "A local folder to use as /code instead of the FunctionInstance's code: needed for "
          + "code.configMap and code.image, which cannot be fetched locally.")
  Path codeDir;

  @Mixin
  InstanceSettingsOptions configOptions;

  @Spec
  CommandSpec spec;

  /** Completing it stops the instance as Ctrl-C does (tests use it in-process). */
  CompletableFuture<Void> stopRequest = new CompletableFuture<>();

  @Override
  public Integer call() throws InterruptedException {
    Console console = new Console(spec.commandLine().getOut(), spec.commandLine().getErr());
    CompletableFuture<Integer> finished = new CompletableFuture<>();
    Thread ctrlC = new Thread(() -> onCtrlC(console, stopRequest, finished), "fc-local-ctrl-c");
    Runtime.getRuntime().addShutdownHook(ctrlC);
    int status = ExitCodes.FAILED;
    try {
      status = run(console, stopRequest);
      return status;
    } finally {
      console.flush();
      finished.complete(status);
      try {
        Runtime.getRuntime().removeShutdownHook(ctrlC);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook ends the JVM with this status
      }
    }
  }

  private int run(Console console, CompletableFuture<Void> stopRequest) throws InterruptedException {
    FunctionInstance fi;
    DesiredState desired;
    try {
      fi = choose(FunctionInstanceFile.read(file));
      checkCodeSource(fi.getSpec().getCode());
      desired = new DesiredStateBuilder(configOptions.toSettings(), RuntimeFiles.load()).build(fi);
    } catch (InputException e) {
      return badInput(console, e.getMessage());
    }
    FunctionInstanceSpec withDefaults = SpecDefaults.apply(fi.getSpec());
    Path root = null;
    try {
      root = Files.createTempDirectory("fc-local-");
      Pod template = desired.podTemplate();
      var container = PodSandbox.lifecycleContainer(template);
      PortMap ports = PortMap.allocate(template.getSpec().getContainers(), RuntimePorts.INVOKE_NAME, port);
      Path folder = file.toAbsolutePath().getParent();
      PodSandbox.Sandbox sandbox = PodSandbox.preparePod(desired, root, codeDir, ports, System.getenv(), folder,
          console::kubelet);
      PodSandbox.Launch launch = sandbox.lifecycle();
      int invokePort = ports.local(RuntimeContainer.ADAPTER_NAME.equals(container.getName())
          ? RuntimePorts.ADAPTER_INVOKE : RuntimePorts.INVOKE);
      String images = sandbox.server() == null
          ? "image " + container.getImage() + " replaced by the local " + launch.command().get(0)
          : "images " + sandbox.server().container().getImage() + " (" + sandbox.server().container().getName()
              + ") and " + container.getImage() + " (" + container.getName() + ") replaced by this machine's "
              + sandbox.server().command().get(0) + " and python3";
      console.local("pod " + launch.podName() + ": " + images + "; volumes in " + root + "; ports "
          + ports.all().entrySet().stream().sorted(Map.Entry.comparingByKey())
              .map(e -> e.getKey() + "->" + e.getValue()).collect(Collectors.joining(", ")));
      String invokePath = withDefaults.handlerType() == HandlerType.HTTP ? "/" : InvocationEndpoint.EVENT_PATH;
      LocalKubelet kubelet = new LocalKubelet(template, sandbox, invokePort, invokePath, console, Ticker.SYSTEM);
      LocalKubelet.Result result = kubelet.run(invocations, invocations.isEmpty(), stopRequest);
      if (result.ok()) {
        String what = invocations.isEmpty() ? "served until stopped"
            : invocations.size() + " invocation(s) answered";
        console.local("exit 0 (ok): " + what + "; " + result.summary());
        return ExitCodes.OK;
      }
      console.local("exit 1 (instance failed): " + result.summary());
      return ExitCodes.FAILED;
    } catch (LocalInputException e) {
      return badInput(console, e.getMessage());
    } catch (IOException e) {
      return badInput(console, "cannot run the container locally: " + e.getMessage()
          + " (local needs python3 on PATH and a writable temporary folder)");
    } finally {
      delete(root);
    }
  }

  private FunctionInstance choose(List<FunctionInstance> instances) throws InputException {
    String names = instances.stream().map(fi -> fi.getMetadata().getName()).collect(Collectors.joining(", "));
    if (name != null) {
      return instances.stream().filter(fi -> name.equals(fi.getMetadata().getName())).findFirst()
          .orElseThrow(() -> new InputException(file + ": no FunctionInstance named \"" + name + "\"; it holds: "
              + names));
    }
    if (instances.size() > 1) {
      throw new InputException(file + " holds " + instances.size() + " FunctionInstances (" + names
          + "): choose one with --name");
    }
    return instances.get(0);
  }

  private void checkCodeSource(Code code) throws InputException {
    if (codeDir != null || code == null) {
      return; // no code: a custom container's, or the validation that follows names the missing field
    }
    if (code.getConfigMap() != null) {
      throw new InputException(file + ": spec.code.configMap \"" + code.getConfigMap() + "\" is in the cluster and "
          + "cannot be fetched locally: run with --code-dir DIR (a folder with the same files) or use spec.code.inline");
    }
    if (code.getImage() != null) {
      throw new InputException(file + ": spec.code.image \"" + code.getImage() + "\" cannot be fetched locally: "
          + "run with --code-dir DIR (a folder with the image's /code) or use spec.code.inline");
    }
  }

  private static int badInput(Console console, String message) {
    console.local("exit 2 (bad input): " + message);
    return ExitCodes.BAD_INPUT;
  }

  /**
   * Ctrl-C (SIGINT to this JVM) runs the shutdown hooks: stop the instance the kubelet's way, wait for
   * the run to end, and end the JVM with the run's status rather than the signal's.
   */
  private static void onCtrlC(Console console, CompletableFuture<Void> stopRequest,
      CompletableFuture<Integer> finished) {
    console.local("interrupted (Ctrl-C): stopping the instance");
    stopRequest.complete(null);
    int status;
    try {
      status = finished.get(15, TimeUnit.MINUTES);
    } catch (Exception e) {
      status = ExitCodes.FAILED;
    }
    console.flush();
    Runtime.getRuntime().halt(status);
  }

  private static void delete(Path root) {
    if (root == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary folder
    }
  }
}
