package dev.fc.operator.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The container as local processes: the container's command under a small init
 * ({@code fc-local/container_init.py}, run by the local {@code python3} in isolated mode) that plays what the
 * container runtime and the kernel do for a container. The init is the process {@code local} starts, waits for
 * and signals:
 *
 * <ul>
 *   <li>SIGTERM goes to the command alone, as the kubelet's goes to a container's first process;</li>
 *   <li>when the command ends, on its own or killed, the init kills every other process of the container (as
 *       a child subreaper it is the parent of all the command's orphans: double-forked daemons, processes in a
 *       session of their own), so none survives {@code local} nor keeps the output pipe open;</li>
 *   <li>when {@code local} ends, even killed outright, the init's input (a pipe from {@code local}) closes and it
 *       kills the container;</li>
 *   <li>its exit status is the command's (128 + n for signal n).</li>
 * </ul>
 *
 * <p>The command's stdout and stderr are merged and handed over line by line; its stdin is {@code /dev/null}.
 * Signals go through {@link ProcessHandle}, which, unlike {@link Process#destroy()}, leaves the output pipe open,
 * so the lines a process prints while it stops are not lost.
 *
 * <p>The process runs in a process group of its own, as a container is apart from the terminal: the
 * terminal's Ctrl-C reaches only {@code local}, which then stops the container the kubelet's way. A
 * few lines of the local {@code python3} do that ({@code setpgid}, then {@code exec} of the command, so
 * the pid stays the container's), in Python's isolated mode, so that nothing of the user's (a sitecustomize.py on the
 * pod's PYTHONPATH) runs in them.
 */
public final class ContainerProcess implements AutoCloseable {
  static final List<String> OWN_PROCESS_GROUP = List.of(
      "python3", "-I", "-c", "import os, sys; os.setpgid(0, 0); os.execvp(sys.argv[1], sys.argv[1:])");

  static final String INIT_RESOURCE = "fc-local/container_init.py";
  /** How long the init may take to kill and reap the container's processes once asked to. */
  static final Duration KILL_WAIT = Duration.ofSeconds(5);
  /** How long the output may stay open after the init ended: only a process outside the container could hold it. */
  static final Duration OUTPUT_WAIT = Duration.ofSeconds(2);

  private final Process init;
  private final Thread output;
  /**
   * One future for every caller: each {@link Process#onExit()} is a new one, completed asynchronously, so two
   * of them may disagree for a moment on whether the container has ended.
   */
  private final CompletableFuture<Process> exit;

  private ContainerProcess(Process init, Thread output) {
    this.init = init;
    this.output = output;
    this.exit = init.onExit();
  }

  /** The init, to be followed by the command it runs. */
  static List<String> init() {
    return List.of("python3", "-I", "-S", "-c", initScript());
  }

  /** The command that runs {@code containerCommand} in a process group of its own under the init. */
  static List<String> underInit(List<String> containerCommand) {
    List<String> command = new ArrayList<>(init());
    command.addAll(OWN_PROCESS_GROUP);
    command.addAll(containerCommand);
    return command;
  }

  public static ContainerProcess start(PodSandbox.Launch launch, Consumer<String> lines) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(underInit(launch.command()))
        .directory(launch.workingDir().toFile())
        .redirectErrorStream(true); // stdin stays a pipe: its end tells the init that local has ended
    builder.environment().clear();
    builder.environment().putAll(launch.env());
    Process init = builder.start();
    Thread output = LinePump.start(init.getInputStream(), lines, "container-output-" + init.pid());
    return new ContainerProcess(init, output);
  }

  /** The init's pid: the container's first process, as far as this machine is concerned. */
  public long pid() {
    return init.pid();
  }

  /** Completes when the container has ended: its command, and then every other process of it. */
  public CompletableFuture<Process> onExit() {
    return exit;
  }

  /** SIGTERM to the command alone (the init passes it on). */
  public void sigterm() {
    init.toHandle().destroy();
  }

  /**
   * SIGKILL to the whole container, returning once it has ended: every process under the init (which, a
   * subreaper, has every orphan of the container as its child), then the init if it has not ended by then.
   */
  public void sigkill() {
    init.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    if (!ended(KILL_WAIT)) {
      init.toHandle().destroyForcibly();
      ended(KILL_WAIT);
    }
  }

  /**
   * After the container ended: its status (128 + n for signal n), once the rest of its output was read. The
   * output ends with the container, whose every process is dead by then; it is not waited for longer than
   * {@link #OUTPUT_WAIT} after that.
   */
  public int exitStatus() throws InterruptedException {
    int status = init.waitFor();
    output.join(OUTPUT_WAIT.toMillis());
    return status;
  }

  /** True when the output was read to its end. */
  public boolean outputEnded() {
    return !output.isAlive();
  }

  /** Kills the container if it still runs (for paths that end without the stop sequence), and closes its input. */
  @Override
  public void close() {
    if (!exit.isDone()) {
      sigkill();
    }
    try {
      init.getOutputStream().close();
    } catch (IOException ignored) {
      // the init's input: closing it can only fail when it is closed already
    }
  }

  private boolean ended(Duration wait) {
    try {
      exit.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return exit.isDone();
    } catch (ExecutionException e) {
      return true;
    }
  }

  private static String initScript() {
    try (InputStream in = ContainerProcess.class.getClassLoader().getResourceAsStream(INIT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(INIT_RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
