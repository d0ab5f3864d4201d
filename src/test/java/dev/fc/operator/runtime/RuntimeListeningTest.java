package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.Await;
import dev.fc.operator.contract.LifecycleEndpoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When the runtime's ports listen. The kubelet's first startup probe may come as soon as the container runs; the
 * lifecycle port must already listen then, so that the probe waits in the kernel's queue instead of being refused
 * (a Warning "Unhealthy" on the pod, as the real node showed on a loaded machine).
 */
class RuntimeListeningTest {
  /** Put at the top of a copy of fc_main.py: the rest of the runtime loads only once the test lets it. */
  private static final String HELD_LOAD = String.join("\n",
      "import os as _os, time as _time",
      "while not _os.path.exists(_os.environ['FC_TEST_LOAD_GATE']):",
      "    _time.sleep(0.01)",
      "");

  @TempDir Path tmp;

  @Test
  void theLifecyclePortListensBeforeTheRestOfTheRuntimeIsLoaded() throws Exception {
    Path runtime = copyOfTheRuntime(tmp.resolve("runtime"));
    Path fcMain = runtime.resolve("fc_main.py");
    Files.writeString(fcMain, HELD_LOAD + Files.readString(fcMain));
    Path gate = tmp.resolve("load-gate");
    try (RuntimeProcess rt = RuntimeProcess.launch(tmp,
        env("FC_FUNCTION_HANDLER", "handlers.by_type", "FC_TEST_LOAD_GATE", gate.toString()),
        List.of("python3", "-I", runtime.resolve("bootstrap.py").toString()))) {
      try (Socket probe = Await.value("the lifecycle port to accept while the runtime is held at its load",
          RuntimeProcess.DEADLINE, () -> connect(rt.lifecyclePort), Optional::isPresent).get()) {
        assertThat(rt.alive()).as("the runtime still runs: %s", rt.lines()).isTrue();
        assertThat(connect(rt.invokePort)).as("the invocation port waits for the loaded runtime").isEmpty();
        OutputStream out = probe.getOutputStream();
        out.write(("GET /startup HTTP/1.1\r\nHost: fc\r\n" + LifecycleEndpoints.TOKEN_HEADER + ": " + RuntimeProcess.TOKEN
            + "\r\n\r\n").getBytes(ISO_8859_1));
        out.flush();
        Files.createFile(gate);
        probe.setSoTimeout((int) RuntimeProcess.DEADLINE.toMillis());
        String statusLine = new BufferedReader(new InputStreamReader(probe.getInputStream(), ISO_8859_1)).readLine();
        assertThat(statusLine).as("the probe made before the load is answered after it").isEqualTo("HTTP/1.1 200 OK");
      }
    }
  }

  @ParameterizedTest(name = "FC_LIFECYCLE_PORT={0}")
  @ValueSource(strings = {"65536", "99999999999999999999", "-1", "port"})
  void aPortThatCannotBeListenedOnIsAConfigurationErrorNamingTheVariable(String port) throws Exception {
    try (RuntimeProcess rt = RuntimeProcess.launch(tmp,
        env("FC_FUNCTION_HANDLER", "handlers.by_type", "FC_LIFECYCLE_PORT", port), RuntimeProcess.command())) {
      assertThat(rt.awaitExit()).isEqualTo(4);
      String message = rt.terminationMessage().path("message").asText();
      assertThat(message).startsWith("bad configuration: FC_LIFECYCLE_PORT ").contains(port);
      assertThat(String.join("\n", rt.lines())).doesNotContain("Traceback");
    }
  }

  private static Optional<Socket> connect(int port) {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return Optional.of(socket);
    } catch (IOException refused) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing was opened
      }
      return Optional.empty();
    }
  }

  private static Path copyOfTheRuntime(Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(RuntimeProcess.RUNTIME_DIR)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    return target;
  }
}
