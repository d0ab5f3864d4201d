package dev.fc.operator.cli;

import dev.fc.operator.operator.FcOperator;
import dev.fc.operator.operator.OperatorOptions;
import dev.fc.operator.reconciler.ReconcilerSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the operator, against the current kubeconfig or the in-cluster configuration. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Runs the operator: reconciles FunctionInstances into pods, ConfigMaps and a Service.",
        "Connects with the current kubeconfig (KUBECONFIG, ~/.kube/config) or, inside a pod, the service "
            + "account. SIGTERM stops it cleanly."})
public class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = {"-n", "--namespace"}, split = ",", paramLabel = "NAMESPACE",
      defaultValue = "${env:FC_WATCH_NAMESPACES:-}",
      description = "Namespaces to watch, comma-separated or repeated; all when empty (default). "
          + "Environment: FC_WATCH_NAMESPACES.")
  List<String> namespaces;

  @Mixin
  LoggingOptions logging;

  @Mixin
  OperatorConfigOptions configOptions;

  @Override
  public Integer call() throws InterruptedException {
    logging.apply();
    Set<String> watched = new LinkedHashSet<>();
    if (namespaces != null) {
      namespaces.stream().flatMap(n -> Arrays.stream(n.split(","))).map(String::strip).filter(n -> !n.isEmpty())
          .forEach(watched::add);
    }
    OperatorOptions options = new OperatorOptions(watched, configOptions.toConfig(), ReconcilerSettings.defaults(),
        true);
    CountDownLatch stopped = new CountDownLatch(1);
    KubernetesClient client = new KubernetesClientBuilder().build();
    var operator = FcOperator.create(client, options, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      operator.stop();
      client.close();
      stopped.countDown();
    }, "fc-operator-shutdown"));
    LOG.info("starting against {}, watching {}", client.getMasterUrl(),
        watched.isEmpty() ? "all namespaces" : String.join(", ", watched));
    operator.start();
    stopped.await();
    return ExitCodes.OK;
  }
}
