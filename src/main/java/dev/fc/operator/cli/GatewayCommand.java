package dev.fc.operator.cli;

import dev.fc.operator.gateway.Gateway;
import dev.fc.operator.gateway.GatewaySettings;
import dev.fc.operator.gateway.KubernetesSource;
import dev.fc.operator.gateway.PeerPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gateway}: routes invocations to the functions' instances, holds them for a slot, reports demand. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = {
        "Runs a gateway replica (docs/gateway.md): FC's InvokeFunction (POST /2023-03-30/functions/{name}/"
            + "invocations) and /fn/{namespace}/{name}/{path} on --port, routed to the functions' ready instances,"
            + " at most instanceConcurrency at once on each; invocations without a free slot wait for one.",
        "Serves GET /demand (long poll for the operator), /metrics, /healthz and /readyz on --admin-port."})
public class GatewayCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayCommand.class);

  @Option(names = "--port", defaultValue = "${env:FC_GATEWAY_PORT:-8080}", paramLabel = "PORT",
      description = "Port of the invocations (default: ${DEFAULT-VALUE}). Environment: FC_GATEWAY_PORT.")
  int port;

  @Option(names = "--admin-port", defaultValue = "${env:FC_GATEWAY_ADMIN_PORT:-9090}", paramLabel = "PORT",
      description = "Port of /demand, /metrics, /healthz and /readyz (default: ${DEFAULT-VALUE}). "
          + "Environment: FC_GATEWAY_ADMIN_PORT.")
  int adminPort;

  @Option(names = "--namespace", defaultValue = "${env:FC_GATEWAY_DEFAULT_NAMESPACE:-default}", paramLabel = "NAMESPACE",
      description = "The namespace of InvokeFunction requests without an x-fc-namespace header "
          + "(default: ${DEFAULT-VALUE}). Environment: FC_GATEWAY_DEFAULT_NAMESPACE.")
  String namespace;

  @Option(names = "--watch-namespace", split = ",", paramLabel = "NAMESPACE",
      defaultValue = "${env:FC_WATCH_NAMESPACES:-}",
      description = "Namespaces whose functions it routes to, comma-separated or repeated; all when empty "
          + "(default). Environment: FC_WATCH_NAMESPACES.")
  List<String> watchNamespaces;

  @Option(names = "--name", defaultValue = "${env:POD_NAME:-}", paramLabel = "NAME",
      description = "This replica's name in its demand reports (default: POD_NAME, else the host name).")
  String name;

  @Option(names = "--peer-selector", defaultValue = "${env:FC_GATEWAY_PEER_SELECTOR:-}", paramLabel = "SELECTOR",
      description = "The label selector of the gateway's own pods: the ready ones share the functions, one owner "
          + "each, and a replica forwards the invocations of functions it does not own to their owner's --port "
          + "(docs/gateway.md, \"Several replicas\"). Empty (the default): this replica serves every function "
          + "itself. Environment: FC_GATEWAY_PEER_SELECTOR.")
  String peerSelector;

  @Option(names = "--peer-namespace", defaultValue = "${env:POD_NAMESPACE:-}", paramLabel = "NAMESPACE",
      description = "The namespace of the gateway's pods, for --peer-selector (default: POD_NAMESPACE).")
  String peerNamespace;

  @Option(names = "--drain-delay", defaultValue = "${env:FC_GATEWAY_DRAIN_DELAY:-5}", paramLabel = "SECONDS",
      description = "On SIGTERM, how long to go on taking invocations, not ready, while the Service and the other "
          + "replicas drop this one (default: ${DEFAULT-VALUE}). Environment: FC_GATEWAY_DRAIN_DELAY.")
  int drainDelay;

  @Option(names = "--stop-timeout", defaultValue = "${env:FC_GATEWAY_STOP_TIMEOUT:-30}", paramLabel = "SECONDS",
      description = "Then, how long the invocations in flight and held may take to finish before the rest are cut "
          + "(default: ${DEFAULT-VALUE}); keep drain delay + this below the pod's terminationGracePeriodSeconds. "
          + "Environment: FC_GATEWAY_STOP_TIMEOUT.")
  int stopTimeout;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  LoggingOptions logging;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    String replica = name == null || name.isBlank() ? hostName() : name;
    boolean withPeers = peerSelector != null && !peerSelector.isBlank();
    if (withPeers && (peerNamespace == null || peerNamespace.isBlank())) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--peer-selector needs --peer-namespace (or POD_NAMESPACE): where the gateway's pods run");
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder().build();
    AtomicReference<KubernetesSource> source = new AtomicReference<>();
    AtomicReference<PeerPods> peers = new AtomicReference<>();
    if (drainDelay < 0 || stopTimeout < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--drain-delay and --stop-timeout are seconds, 0 or more");
    }
    AtomicBoolean stopping = new AtomicBoolean();
    Gateway gateway = Gateway.start(new GatewaySettings(port, adminPort, namespace, replica), registry,
        () -> !stopping.get() && source.get() != null && source.get().synced()
            && (!withPeers || peers.get() != null && peers.get().synced()));
    Set<String> watched = NamespaceList.parse(watchNamespaces);
    if (withPeers) {
      peers.set(PeerPods.watch(client, peerNamespace.strip(), peerSelector.strip(), gateway.port(),
          gateway.peers()));
    }
    source.set(KubernetesSource.start(client, watched, gateway.directory()));

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // Killing a replica loses only what is in flight on it: it stays reachable, not ready, while the Service's
      // endpoints and the peers drop it, then lets what it holds finish.
      stopping.set(true);
      LOG.info("stopping: not ready, taking invocations {}s more, then at most {}s for those in flight",
          drainDelay, stopTimeout);
      pause(Duration.ofSeconds(drainDelay));
      gateway.close(Duration.ofSeconds(stopTimeout));
      source.get().close();
      if (peers.get() != null) {
        peers.get().close();
      }
      client.close();
      LOG.info("stopped");
      stopped.countDown();
    }, "fc-gateway-shutdown"));
    LOG.info("gateway {} against {}, watching {}; invocations on :{}, admin on :{}; {}", replica,
        client.getMasterUrl(), watched.isEmpty() ? "all namespaces" : String.join(", ", watched), gateway.port(),
        gateway.adminPort(), withPeers ? "sharing the functions with the ready pods " + peerSelector.strip()
            + " in " + peerNamespace.strip() : "serving every function itself (no --peer-selector)");
    stopped.await();
    return ExitCodes.OK;
  }

  /** The drain delay: a wait by design, for other components to notice, not a synchronisation. */
  private static void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException unknown) {
      return "gateway";
    }
  }
}
