package dev.fc.operator.cli;

import dev.fc.operator.manager.FcOperator;
import dev.fc.operator.manager.Leadership;
import dev.fc.operator.manager.OperatorHttpServer;
import dev.fc.operator.manager.ManagerSettings;
import dev.fc.operator.manager.ManagerSettings.LeaderElection;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the operator, against the current kubeconfig or the in-cluster configuration. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Runs the operator: reconciles FunctionInstances into pods, ConfigMaps and a Service.",
        "Connects with the current kubeconfig (KUBECONFIG, ~/.kube/config) or, inside a pod, the service "
            + "account. Serves /healthz, /readyz and /metrics on --http-port. SIGTERM stops it cleanly: "
            + "running reconciles finish (up to 10 s), then it exits."})
public class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = {"-n", "--namespace"}, split = ",", paramLabel = "NAMESPACE",
      defaultValue = "${env:FC_WATCH_NAMESPACES:-}",
      description = "Namespaces to watch, comma-separated or repeated; all when empty (default). "
          + "Environment: FC_WATCH_NAMESPACES.")
  List<String> namespaces;

  @Option(names = "--leader-election", defaultValue = "${env:FC_LEADER_ELECTION:-false}", arity = "0..1",
      fallbackValue = "true",
      description = "Reconcile only while holding a Lease, so several replicas are safe. "
          + "Environment: FC_LEADER_ELECTION=true.")
  boolean leaderElection;

  @Option(names = "--leader-election-lease", defaultValue = "${env:FC_LEADER_ELECTION_LEASE:-fc-operator}",
      paramLabel = "NAME", description = "The Lease's name (default: ${DEFAULT-VALUE}). "
          + "Environment: FC_LEADER_ELECTION_LEASE.")
  String leaseName;

  @Option(names = "--leader-election-namespace",
      defaultValue = "${env:FC_LEADER_ELECTION_NAMESPACE:-${env:POD_NAMESPACE:-}}", paramLabel = "NAMESPACE",
      description = "The Lease's namespace (default: POD_NAMESPACE, else the kubeconfig's). "
          + "Environment: FC_LEADER_ELECTION_NAMESPACE.")
  String leaseNamespace;

  @Option(names = "--http-port", defaultValue = "${env:FC_HTTP_PORT:-8080}", paramLabel = "PORT",
      description = "Port of /healthz, /readyz and /metrics (default: ${DEFAULT-VALUE}). Environment: FC_HTTP_PORT.")
  int httpPort;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--gateway-selector", defaultValue = "${env:FC_GATEWAY_SELECTOR:-}", paramLabel = "SELECTOR",
      description = "The label selector of the gateway's pods, whose demand reports drive elastic functions "
          + "(docs/elastic.md). Empty (the default): no gateway; elastic counts stay within their bounds and "
          + "nothing is reclaimed. Env FC_GATEWAY_SELECTOR.")
  String gatewaySelector;

  @Option(names = "--gateway-namespace", defaultValue = "${env:FC_GATEWAY_NAMESPACE:-${env:POD_NAMESPACE:-}}",
      paramLabel = "NAMESPACE", description = "The gateway pods' namespace (default: POD_NAMESPACE). "
          + "Env FC_GATEWAY_NAMESPACE.")
  String gatewayNamespace;

  @Option(names = "--gateway-admin-port", defaultValue = "${env:FC_GATEWAY_ADMIN_PORT:-9090}", paramLabel = "PORT",
      description = "The gateway pods' admin port, where GET /demand answers. Env FC_GATEWAY_ADMIN_PORT.")
  int gatewayAdminPort;

  @Option(names = "--server-side-apply", defaultValue = "${env:FC_SERVER_SIDE_APPLY:-true}", arity = "1",
      paramLabel = "true|false",
      description = "Write status with server-side apply (default). false: JSON merge patch, for API servers "
          + "without server-side apply. Environment: FC_SERVER_SIDE_APPLY.")
  boolean serverSideApply;

  @Mixin
  LoggingOptions logging;

  @Mixin
  InstanceSettingsOptions configOptions;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    ManagerSettings options = ManagerSettings.defaults()
        .withNamespaces(NamespaceList.parse(namespaces))
        .withConfig(configOptions.toSettings())
        .withServerSideApply(serverSideApply);
    if (leaderElection) {
      options = options.withLeaderElection(new LeaderElection(leaseName,
          Optional.ofNullable(leaseNamespace).filter(n -> !n.isBlank()), true));
    }
    if (gatewaySelector != null && !gatewaySelector.isBlank()) {
      if (gatewayNamespace == null || gatewayNamespace.isBlank()) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--gateway-selector needs --gateway-namespace (or POD_NAMESPACE): where the gateway's pods run");
      }
      options = options.withGateways(new ManagerSettings.Gateways(gatewayNamespace, gatewaySelector,
          gatewayAdminPort));
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder().build();
    Leadership leadership = new Leadership();
    Operator operator = FcOperator.create(client, options, Clock.systemUTC(), registry, leadership);
    AtomicReference<Operator> started = new AtomicReference<>();
    OperatorHttpServer http = OperatorHttpServer.start(httpPort,
        () -> started.get() == null ? null : started.get().getRuntimeInfo(), leadership, registry);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping: letting running reconciles finish");
      operator.stop();
      http.close();
      client.close();
      LOG.info("stopped");
      stopped.countDown();
    }, "fc-operator-shutdown"));
    LOG.info("starting against {}, watching {}{}; http on :{}", client.getMasterUrl(),
        options.namespaces().isEmpty() ? "all namespaces" : String.join(", ", options.namespaces()),
        leaderElection ? ", leader election with Lease " + leaseName : "", http.port());
    operator.start();
    started.set(operator);
    stopped.await();
    return ExitCodes.OK;
  }
}
