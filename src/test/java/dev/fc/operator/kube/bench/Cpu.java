package dev.fc.operator.kube.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** CPU time of processes, and where they may run (taskset). */
final class Cpu {
  private Cpu() {}

  /** The CPU time (user + system) the processes have used so far, in seconds; 0 for those already gone. */
  static double seconds(Collection<ProcessHandle> processes) {
    return processes.stream().mapToDouble(p -> p.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9)
        .sum();
  }

  /**
   * Lets every thread of each process run only on {@code cpus} (a taskset list such as {@code 0} or {@code 1-3});
   * threads and processes they start later inherit it.
   */
  static void pin(Collection<ProcessHandle> processes, String cpus) {
    for (ProcessHandle p : processes) {
      if (!p.isAlive()) {
        continue;
      }
      try {
        Process taskset = new ProcessBuilder("taskset", "-a", "-cp", cpus, String.valueOf(p.pid()))
            .redirectErrorStream(true).start();
        String out = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (taskset.waitFor() != 0 && p.isAlive()) {
          throw new IllegalStateException("taskset -a -cp " + cpus + " " + p.pid() + " failed: " + out);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  static List<ProcessHandle> self() {
    return List.of(ProcessHandle.current());
  }
}
