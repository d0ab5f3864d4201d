package dev.fc.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's init ({@code fc-local/container_init.py}) on its own: the command's status is the container's,
 * SIGTERM reaches the command, and the container ends with {@code local}, even a {@code local} killed outright
 * (its pipe to the init closes), leaving no process and no open output behind.
 */
class ContainerInitTest {
  static final Duration DEADLINE = Duration.ofSeconds(10);

  final List<Process> started = new ArrayList<>();
  @TempDir
  Path dir;

  /** The command under the init, as {@link ContainerProcess} starts it: stdin a pipe from this JVM, output merged. */
  Process init(String shellScript) throws IOException {
    Process p = new ProcessBuilder(ContainerProcess.underInit(List.of("sh", "-c", shellScript)))
        .redirectErrorStream(true).start();
    started.add(p);
    return p;
  }

  @AfterEach
  void killWhatIsLeft() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  static int exitStatus(Process p) throws InterruptedException {
    assertThat(p.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("the init ended").isTrue();
    return p.exitValue();
  }

  @Test
  void theContainersStatusIsItsCommands() throws Exception {
    assertThat(exitStatus(init("exit 7"))).isEqualTo(7);
    assertThat(exitStatus(init("exit 0"))).isZero();
    assertThat(exitStatus(init("kill -KILL $$"))).as("128 + SIGKILL").isEqualTo(137);
  }

  @Test
  void sigtermReachesTheCommand() throws Exception {
    Process p = init("trap 'echo got TERM; exit 5' TERM; echo ready; while :; do sleep 0.05; done");
    BufferedReader out = reader(p);
    assertThat(out.readLine()).isEqualTo("ready");

    p.toHandle().destroy(); // SIGTERM, as ContainerProcess.sigterm() (Process.destroy() would close the pipes)

    assertThat(exitStatus(p)).isEqualTo(5);
    assertThat(out.readLine()).isEqualTo("got TERM");
  }

  @Test
  void aCommandThatCannotStartIsStatus127AndALine() throws Exception {
    List<String> command = new ArrayList<>(ContainerProcess.init());
    command.add("no-such-command-fc-local");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    started.add(p);

    assertThat(exitStatus(p)).isEqualTo(127);
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .startsWith("[local] cannot start no-such-command-fc-local: ");
  }

  @Test
  void theRestOfTheContainerDiesWithItsCommandAndTheOutputEnds() throws Exception {
    // a child holding the output, a daemon in a session of its own (its parent gone), a grandchild whose parent
    // still runs (orphaned only while the rest is killed), and the command exiting 3 at once
    Path fifo = dir.resolve("grandchild");
    Process p = init("sleep 7777 & echo $!; (setsid sleep 7777 & echo $!); mkfifo " + fifo + "; "
        + "sh -c 'sleep 7777 & echo $! > " + fifo + "; wait' & read grandchild < " + fifo + "; echo $grandchild; "
        + "exit 3");
    BufferedReader out = reader(p);
    List<Long> pids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pids.add(Long.parseLong(out.readLine()));
    }

    assertThat(exitStatus(p)).isEqualTo(3);
    assertThat(out.readLine()).as("the output ended with the container").isNull();
    pids.forEach(ContainerInitTest::assertGone);
  }

  @Test
  void theContainerEndsWhenLocalEndsEvenKilled() throws Exception {
    // The command ignores SIGTERM and runs for ever, and so does its child: nothing but SIGKILL ends them.
    Process p = init("trap '' TERM; sleep 7777 & echo $!; echo $$; exec sleep 7777");
    BufferedReader out = reader(p);
    long child = Long.parseLong(out.readLine());
    long command = Long.parseLong(out.readLine());
    assertThat(ProcessHandle.of(command)).isPresent();

    p.getOutputStream().close(); // what the kernel does to the pipe when local ends, however it ends

    assertThat(exitStatus(p)).as("128 + SIGKILL").isEqualTo(137);
    assertThat(out.readLine()).isNull();
    assertGone(command);
    assertGone(child);
  }

  static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Polls until no live process has the pid (one killed may linger a moment as a zombie of its reaper). */
  static void assertGone(long pid) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      assertThat(System.nanoTime()).as("pid %d still alive", pid).isLessThan(end);
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
