package dev.fc.operator.gateway;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One gateway replica (docs/gateway.md): the directory, the peer set, the invocation port and the admin port.
 * What fills the directory and the peer set (the informers, {@link KubernetesSource} and {@link PeerPods}, or a
 * test) is the caller's.
 */
public final class Gateway implements AutoCloseable {
  /** Handler threads only read a request and hand it on; answers are written from the HTTP client's threads. */
  static final int INVOCATION_THREADS = 16;

  static {
    // Headers and body leave in separate writes: without TCP_NODELAY, Nagle and the client's delayed ACK
    // would add tens of milliseconds to small answers. Read once, when the JDK's server first loads.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final InstanceDirectory directory;
  private final PeerSet peers;
  private final HttpServer invocations;
  private final AdminServer admin;
  private final ScheduledThreadPoolExecutor timers;
  private final ExecutorService invocationThreads;
  private final ExecutorService adminThreads;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private Gateway(InstanceDirectory directory, PeerSet peers, HttpServer invocations, AdminServer admin,
      ScheduledThreadPoolExecutor timers, ExecutorService invocationThreads, ExecutorService adminThreads) {
    this.directory = directory;
    this.peers = peers;
    this.invocations = invocations;
    this.admin = admin;
    this.timers = timers;
    this.invocationThreads = invocationThreads;
    this.adminThreads = adminThreads;
  }

  public static Gateway start(GatewaySettings settings, PrometheusMeterRegistry registry, BooleanSupplier ready)
      throws IOException {
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon("fc-gateway-timer"));
    timers.setRemoveOnCancelPolicy(true);
    GatewayMetrics metrics = new GatewayMetrics(registry);
    InstanceDirectory directory = new InstanceDirectory(Clock.systemUTC(), Timers.on(timers), metrics,
        new InitializerWatch(InitializerWatch.newClient(), Timers.on(timers), metrics::startupWatch));
    metrics.bind(directory);
    ExecutorService invocationThreads = Executors.newFixedThreadPool(INVOCATION_THREADS, daemon("fc-gateway-http"));
    ExecutorService adminThreads = Executors.newFixedThreadPool(2, daemon("fc-gateway-admin"));
    HttpServer invocations = HttpServer.create(new InetSocketAddress(settings.port()), 1024);
    PeerSet peers = new PeerSet(settings.name());
    invocations.createContext("/", new InvocationHandler(directory, new InstanceCall(InstanceCall.newClient()),
        peers, new PeerCall(settings.name()), metrics, settings.defaultNamespace()));
    invocations.setExecutor(invocationThreads);
    invocations.start();
    AdminServer admin = AdminServer.start(settings.adminPort(), adminThreads, directory, settings.name(), registry,
        ready);
    return new Gateway(directory, peers, invocations, admin, timers, invocationThreads, adminThreads);
  }

  public InstanceDirectory directory() {
    return directory;
  }

  /** The other replicas, and so which functions this one owns; empty (the start): it owns all. */
  public PeerSet peers() {
    return peers;
  }

  public int port() {
    return invocations.getAddress().getPort();
  }

  public int adminPort() {
    return admin.port();
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /**
   * Stops taking connections, then waits up to {@code finishWithin} for the invocations in flight and held (whose
   * answers the JDK's server counts until they are written), and stops.
   */
  public void close(Duration finishWithin) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    invocations.stop((int) Math.min(Integer.MAX_VALUE, finishWithin.toSeconds()));
    admin.close();
    timers.shutdownNow();
    invocationThreads.shutdownNow();
    adminThreads.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
