package dev.fc.operator.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The container's command as a local process: its stdout and stderr merged and handed over line by
 * line; SIGTERM and SIGKILL through its {@link ProcessHandle} (which, unlike {@link Process#destroy()},
 * leaves the output pipe open, so the lines a process prints while it stops are not lost).
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

  private final Process process;
  private final Thread output;

  private ContainerProcess(Process process, Thread output) {
    this.process = process;
    this.output = output;
  }

  public static ContainerProcess start(PodSandbox.Launch launch, Consumer<String> lines) throws IOException {
    List<String> command = new ArrayList<>(OWN_PROCESS_GROUP);
    command.addAll(launch.command());
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(launch.workingDir().toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(launch.env());
    Process process = builder.start();
    Thread output = LinePump.start(process.getInputStream(), lines, "container-output-" + process.pid());
    return new ContainerProcess(process, output);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Completes when the process has ended. */
  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  public void sigterm() {
    process.toHandle().destroy();
  }

  public void sigkill() {
    process.toHandle().destroyForcibly();
  }

  /** After the process ended: waits for the rest of its output, returns its status (128 + n for signal n). */
  public int exitStatus() throws InterruptedException {
    int status = process.waitFor();
    output.join(5_000);
    return status;
  }

  /** Kills the process if it still runs: for paths that end without the stop sequence. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.toHandle().destroyForcibly();
    }
  }
}
