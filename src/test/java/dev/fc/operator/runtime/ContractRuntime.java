package dev.fc.operator.runtime;

import dev.fc.operator.contract.RuntimeEnv;
import dev.fc.operator.local.FreePorts;
import dev.fc.operator.local.LinePump;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A runtime the contract's conformance suite ({@link ContractConformanceTest}) runs against: the Python runtime
 * with the fixture {@code runtime-fixtures/conformance.py}, or the custom runtimes' adapter in front of a reference
 * server ({@code custom-servers/}) in Python or in Node.js. Each behaves as its fixture's documentation says, chosen
 * by the same variables ({@code CONF_INIT}: ok, fail, fail-big, hang; {@code CONF_PRESTOP}: ok, fail, hang) and
 * events ({@code echo:}, {@code sleep:}, {@code fail}).
 */
enum ContractRuntime {
  PYTHON(null),
  ADAPTER_WITH_PYTHON_SERVER(List.of("python3", "-I", "reference_server.py")),
  ADAPTER_WITH_NODE_SERVER(List.of("node", "reference_server.js")),
  /** The Node.js runtime with the fixture {@code runtime-fixtures/conformance.js}. */
  NODEJS(null) {
    @Override
    List<String> runtimeCommand() {
      return RuntimeProcess.nodeCommand();
    }
  };

  static final Path SERVERS = Path.of("src/test/resources/custom-servers").toAbsolutePath();

  /** The user's server's command, run in {@link #SERVERS}; null for the Python runtime, which has none. */
  private final List<String> server;

  ContractRuntime(List<String> server) {
    this.server = server;
  }

  /**
   * Whether the runtime runs the user's code in its own process (the Python and the Node.js runtime), whose output
   * (the fixture's lines) is then the runtime's; else a user's server does, behind the adapter.
   */
  boolean runsTheCodeItself() {
    return server == null;
  }

  /**
   * The malformed requests of {@link RuntimeHttpHardeningTest#malformedInvocations()} this runtime takes: Node's
   * parser (llhttp) reads "POST  /invoke" (two spaces) as "POST /invoke" and does not show a chunk's size, so a chunk
   * declared over 32 MiB is refused only once that much arrived (docs/runtime-contract.md, "The Node.js runtime").
   */
  java.util.Set<String> malformedRequestsTaken() {
    return this == NODEJS ? java.util.Set.of("two spaces in the request line", "chunk size over 32 MiB")
        : java.util.Set.of();
  }

  /** The command of a runtime that loads the fixture itself (no user's server): the Python runtime's. */
  List<String> runtimeCommand() {
    return RuntimeProcess.command();
  }

  /**
   * Starts an instance with an Initializer and PreStop configured ({@code FC_INITIALIZER_HANDLER},
   * {@code FC_PRESTOP_HANDLER}) and the given variables on top; returns once the runtime's ports listen.
   */
  Instance start(Path dir, Map<String, String> env) throws IOException {
    Map<String, String> all = new HashMap<>(RuntimeProcess.env(
        "FC_FUNCTION_HANDLER", "conformance.handler",
        "FC_INITIALIZER_HANDLER", "conformance.initialize", "FC_INITIALIZATION_TIMEOUT", "3",
        "FC_PRESTOP_HANDLER", "conformance.pre_stop", "FC_PRESTOP_TIMEOUT", "3"));
    all.putAll(env);
    if (server == null) {
      return new Instance(RuntimeProcess.start(dir, all, Map.of(), runtimeCommand()), null, List.of());
    }
    int port = FreePorts.pick(1)[0];
    all.put(RuntimeEnv.CUSTOM_LISTEN_PORT, Integer.toString(port));
    // The adapter first, as the kubelet may start it first: it waits for the server to listen.
    RuntimeProcess adapter = RuntimeProcess.start(dir, all, Map.of(), RuntimeProcess.adapterCommand());
    ProcessBuilder pb = new ProcessBuilder(server).directory(SERVERS.toFile()).redirectErrorStream(true);
    pb.environment().putAll(all);
    pb.environment().remove(RuntimeEnv.LIFECYCLE_TOKEN); // the user's container never gets the secret
    pb.environment().put("FIXTURE_OUT", adapter.out.toString());
    List<String> serverLines = Collections.synchronizedList(new ArrayList<>());
    Process process = pb.start();
    LinePump.start(process.getInputStream(), serverLines::add, "server-stdout");
    return new Instance(adapter, process, serverLines);
  }

  /** The process that carries the contract (the runtime, or the adapter) and the user's server, if any. */
  record Instance(RuntimeProcess runtime, Process server, List<String> serverLines) implements AutoCloseable {
    @Override
    public void close() {
      runtime.close();
      if (server != null) {
        server.destroyForcibly();
      }
    }
  }
}
