package dev.fc.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code local} reports what the container did when its end and its last answer come together, whichever of the
 * two it sees first: each case is run several times side by side, and every run must tell the same story
 * ({@link dev.fc.operator.local.ContainerExchangeTest} forces each order one by one).
 */
class LocalRacesTest {
  /** Two of each case side by side: with 4 (8 runtimes and JVMs on 2 cores) one slow exit outlasted the hook's 5 s. */
  static final int RUNS = 2;
  static final String CODE = LocalRun.FIXTURES.resolve("unruly-code").toAbsolutePath().toString();

  static final Pattern PRE_STOP_SENT = Pattern.compile("\\[kubelet\\] preStop hook: GET /pre-stop");

  static Path sockets;
  static List<LocalRun> retired;
  static List<LocalRun> endingByItself;
  static List<CompletableFuture<Void>> endsTold;

  @BeforeAll
  static void startRuns() throws IOException {
    sockets = Files.createTempDirectory("fc-local-races-");
    retired = IntStream.range(0, RUNS).mapToObj(i -> start("retire:none")).toList();
    endingByItself = IntStream.range(0, RUNS).mapToObj(i -> start("close-ports:none:" + sockets.resolve("end-" + i)))
        .toList();
    endsTold = IntStream.range(0, RUNS).mapToObj(i -> CompletableFuture.runAsync(
        () -> endWhenThePreStopHookIsSent(endingByItself.get(i), sockets.resolve("end-" + i)))).toList();
  }

  /**
   * The container, its ports closed, exits once local sends the preStop hook (a connection to the fixture's Unix
   * socket tells it to): whether the hook is refused before or after the exit is seen, the container is ending by
   * itself.
   */
  static void endWhenThePreStopHookIsSent(LocalRun run, Path socket) {
    run.awaitLine(PRE_STOP_SENT);
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LocalRun start(String event) {
    return LocalRun.start("unruly.yaml", "--name", "unruly", "--code-dir", CODE, "--invoke", event);
  }

  @AfterAll
  static void awaitRuns() throws IOException {
    retired.forEach(LocalRun::awaitExit);
    endingByItself.forEach(LocalRun::awaitExit);
    endsTold.forEach(CompletableFuture::join);
    try (var files = Files.list(sockets)) {
      for (Path socket : files.toList()) {
        Files.delete(socket);
      }
    }
    Files.delete(sockets);
  }

  /** The runtime sends FunctionTimeout, then retires and exits 3 at once: the answer is read every time. */
  @Test
  void theAnswerARetiringRuntimeSentIsReadEveryTime() {
    for (LocalRun run : retired) {
      assertThat(run.awaitExit()).as(run.err()).isEqualTo(ExitCodes.FAILED);
      assertThat(run.err()).doesNotContain("invoke 1/1: no answer").doesNotContain("invoke 1/1 got no answer");
      assertThat(run.count(Pattern.compile("\\[local\\] invoke 1/1: HTTP 200 x-fc-error-type: FunctionTimeout "
          + "\\(\\d+ ms\\)"))).as(run.err()).isEqualTo(1);
      assertThat(run.out()).contains("\"errorType\": \"FunctionTimeout\"");
      assertThat(run.lastLine()).as(run.err()).startsWith("[local] exit 1 (instance failed): invoke 1/1 answered "
          + "FunctionTimeout: Function timed out after 1 seconds; the container exited with status 3: Invocation ")
          .endsWith("ran past FC_TIMEOUT (1 s); the instance was retired");
    }
  }

  /**
   * The runtime has closed its sockets and exits by itself as the preStop hook is sent: the hook is refused (or its
   * kept connection found closed), which is the container ending, not a hook that failed; nor is it sent SIGTERM.
   */
  @Test
  void aRefusedPreStopHookOfAContainerEndingByItselfIsNoHookFailure() {
    for (int i = 0; i < RUNS; i++) {
      LocalRun run = endingByItself.get(i);
      assertThat(run.awaitExit()).as(run.err()).isEqualTo(ExitCodes.FAILED);
      endsTold.get(i).join();
      assertThat(run.outLines()).containsExactly("close-ports");
      assertThat(run.count(Pattern.compile("\\[kubelet\\] preStop hook got no answer after \\d+\\.\\d\\ds "
          + "\\(.+\\): the container exited on its own"))).as(run.err()).isEqualTo(1);
      assertThat(run.err()).doesNotContain("preStop hook failed").doesNotContain("SIGTERM");
      assertThat(run.errLines()).contains("[kubelet] container exited with status 7");
      assertThat(run.lastLine()).as(run.err()).startsWith("[local] exit 1 (instance failed): the container exited "
          + "with status 7");
    }
  }
}
