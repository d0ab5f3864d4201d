package dev.fc.operator.kube;

import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimePorts;
import dev.fc.operator.desired.LifecycleToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Plays the function container of every pod on the hollow node: the hollow kubelet sends each pod's
 * startup probe ({@code /startup}, the Initializer), readiness probe ({@code /ready}) and preStop hook
 * ({@code //pre-stop}: Kubernetes 1.20 doubles the slash) to {@link KubeTier#POD_IP}:9001, the lifecycle
 * port, where this answers. All pods share that address, so a request does not say which pod it is for:
 * a test sets the status per path (200 unless told otherwise) and counts requests per path. As the runtime
 * does, it answers 403 to a request that carries no pod's secret ({@link LifecycleToken}: the probes' header,
 * the preStop hook's query, which a 1.20 kubelet sends without headers) and records it as unexpected; since it
 * cannot tell the pods apart, it checks the secret's shape, not its value.
 *
 * <p>One per JVM ({@link #shared()}), as only one socket can listen on that address; tests run one at a
 * time and call {@link #reset()} first.
 */
final class PodLifecycleResponder {
  static final String STARTUP = "startup";
  static final String READY = "ready";
  static final String PRE_STOP = "pre-stop";

  /** A secret as the operator issues it ({@link LifecycleToken#newToken}), not the template's placeholder. */
  private static final Pattern ISSUED_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Pattern QUERY_TOKEN =
      Pattern.compile("[?&]" + LifecycleEndpoints.TOKEN_QUERY_PARAMETER + "=([^&#]*)");

  private static PodLifecycleResponder shared;

  private final ServerSocket server;
  private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "pod-lifecycle-responder");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<String> unexpected = new CopyOnWriteArrayList<>();

  private PodLifecycleResponder() {
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(KubeTier.POD_IP), RuntimePorts.LIFECYCLE),
          64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + KubeTier.POD_IP + ":" + RuntimePorts.LIFECYCLE
          + " (needs the private network namespace of -Pkube)", e);
    }
    Thread acceptor = new Thread(this::accept, "pod-lifecycle-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The JVM's responder, listening from the first call on. */
  static synchronized PodLifecycleResponder shared() {
    if (shared == null) {
      shared = new PodLifecycleResponder();
    }
    return shared;
  }

  /** Every path answers 200 again; counts start from zero. */
  void reset() {
    statuses.clear();
    counts.clear();
    unexpected.clear();
  }

  /** {@code path} ({@link #STARTUP}, {@link #READY}, {@link #PRE_STOP}) answers {@code status} from now on. */
  void answer(String path, int status) {
    statuses.put(path, status);
  }

  /** Requests for {@code path} since the last {@link #reset()}. */
  int count(String path) {
    AtomicInteger count = counts.get(path);
    return count == null ? 0 : count.get();
  }

  /** Requests for other paths than the three lifecycle ones, or without a pod's secret (there should be none). */
  List<String> unexpected() {
    return List.copyOf(unexpected);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.execute(() -> serve(socket));
      } catch (IOException e) {
        // closed, or a failed accept: keep serving until closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(5_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.ISO_8859_1));
      String[] requestLine = String.valueOf(in.readLine()).split(" ");
      String raw = requestLine.length > 1 ? requestLine[1] : "";
      var query = QUERY_TOKEN.matcher(raw);
      boolean secret = query.find() && ISSUED_TOKEN.matcher(query.group(1)).matches();
      for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
        int colon = header.indexOf(':');
        if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase(LifecycleEndpoints.TOKEN_HEADER)
            && ISSUED_TOKEN.matcher(header.substring(colon + 1).trim()).matches()) {
          secret = true;
        }
      }
      String path = raw.replaceFirst("^/+", "").replaceFirst("\\?.*", "");
      int status;
      if (!secret) {
        unexpected.add(requestLine[0] + " " + raw.replaceFirst("\\?.*", "") + " without the pod's secret");
        status = 403;
      } else if (path.equals(STARTUP) || path.equals(READY) || path.equals(PRE_STOP)) {
        counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        status = statuses.getOrDefault(path, 200);
      } else {
        unexpected.add(requestLine[0] + " " + raw);
        status = 404;
      }
      OutputStream out = socket.getOutputStream();
      out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (IOException e) {
      // a broken request: the kubelet counts it as a failed probe
    }
  }
}
