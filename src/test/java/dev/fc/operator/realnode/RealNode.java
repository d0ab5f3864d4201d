package dev.fc.operator.realnode;

import com.marcnuri.helm.Helm;
import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.kube.FcKube;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The real node started by {@code .ci/realnode/start.sh}, seen from the test JVM (which runs inside its network
 * and mount namespaces: the API server, pod IPs and ClusterIPs are reachable). One per JVM: the CRDs and the
 * operator, installed from its chart with the image Jib built, are shared by every test class; each class
 * works in a namespace of its own.
 */
public final class RealNode {
  /** Deadline for what a real kubelet does on a loaded 2-core machine: start a pod, run its hooks. */
  public static final Duration SLOW = Duration.ofSeconds(150);
  public static final String OPERATOR_NAMESPACE = "fc-system";
  public static final String RELEASE = "fc-operator";
  public static final String OPERATOR_SELECTOR = "app.kubernetes.io/name=fc-operator";
  /** The chart's gateway: its pods and its Service (docs/elastic.md). */
  public static final String GATEWAY_SELECTOR = "app.kubernetes.io/name=fc-operator-gateway";
  public static final String GATEWAY_SERVICE = RELEASE + "-gateway";
  static final Path CHART = Path.of("helm/fc-operator");

  private static RealNode shared;

  private final Path run;
  private final KubernetesClient client;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RealNode(Path run) {
    this.run = run;
    try {
      this.client = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(run.resolve("kubeconfig")))).build();
    } catch (IOException e) {
      throw new UncheckedIOException("no kubeconfig in " + run + ": is the real node running?", e);
    }
  }

  /** The running real node, with the CRDs and the operator (chart, 2 replicas, leader election) installed. */
  public static synchronized RealNode shared() {
    if (shared == null) {
      RealNode node = new RealNode(Path.of(System.getProperty("fc.realnode.run",
          System.getProperty("user.home") + "/.cache/fc-operator/realnode/run")));
      node.awaitNodeReady();
      FcKube.installCrd(node.client);
      if (node.releaseInstalled()) { // a node kept running from an earlier run (-Drealnode.reuse=1)
        node.uninstallOperator();
      }
      node.installOperator(2);
      shared = node;
    }
    return shared;
  }

  public KubernetesClient client() {
    return client;
  }

  public Path run() {
    return run;
  }

  /** The image Jib built for this run, as the chart's values name it (repository:tag). */
  static String operatorImage() {
    return System.getProperty("fc.realnode.operatorImage", "fc-operator:0.1.0");
  }

  private void awaitNodeReady() {
    Await.until("node realnode Ready", () -> client.nodes().withName("realnode").get() != null
        && FcKube.orEmpty(client.nodes().withName("realnode").get().getStatus().getConditions()).stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), SLOW);
  }

  /**
   * {@code helm install fc-operator helm/fc-operator -n fc-system --create-namespace} with the image of this
   * run (never pulled), then waits until every replica is Ready and one holds the lease.
   */
  void installOperator(int replicas) {
    String image = operatorImage();
    int colon = image.lastIndexOf(':');
    new Helm(CHART).install().withName(RELEASE).withNamespace(OPERATOR_NAMESPACE).createNamespace()
        .withKubeConfig(run.resolve("kubeconfig"))
        .set("image.repository", image.substring(0, colon)).set("image.tag", image.substring(colon + 1))
        .set("image.pullPolicy", "Never").set("replicas", replicas)
        // the node has 2 CPUs of requests for the whole tier: the operator and the gateway ask for little
        .set("resources.requests.cpu", "20m").set("gateway.resources.requests.cpu", "20m")
        .set("leaderElection.enabled", replicas > 1).call();
    awaitOperatorPodsReady(replicas);
  }

  boolean releaseInstalled() {
    return Helm.list().withNamespace(OPERATOR_NAMESPACE).withKubeConfig(run.resolve("kubeconfig")).call().stream()
        .anyMatch(r -> RELEASE.equals(r.getName()));
  }

  void uninstallOperator() {
    Helm.uninstall(RELEASE).withNamespace(OPERATOR_NAMESPACE).withKubeConfig(run.resolve("kubeconfig")).call();
    Await.until("operator pods gone", () -> operatorPods().isEmpty(), SLOW);
  }

  List<Pod> operatorPods() {
    return client.pods().inNamespace(OPERATOR_NAMESPACE).withLabelSelector(OPERATOR_SELECTOR).list().getItems();
  }

  void awaitOperatorPodsReady(int replicas) {
    Await.until(replicas + " operator pod(s) Ready", () -> {
      List<Pod> pods = operatorPods();
      return pods.size() == replicas && pods.stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() == null
          && FcKube.isReady(p));
    }, SLOW);
  }

  List<Pod> gatewayPods() {
    return client.pods().inNamespace(OPERATOR_NAMESPACE).withLabelSelector(GATEWAY_SELECTOR).list().getItems();
  }

  /** Waits until the chart's gateway replicas (2) are Ready. */
  void awaitGatewayPodsReady() {
    Await.until("2 gateway pods Ready", () -> {
      List<Pod> pods = gatewayPods();
      return pods.size() == 2 && pods.stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() == null
          && FcKube.isReady(p));
    }, SLOW);
  }

  /** The gateway Service's ClusterIP (port 80). */
  String gatewayClusterIp() {
    return client.services().inNamespace(OPERATOR_NAMESPACE).withName(GATEWAY_SERVICE).get().getSpec()
        .getClusterIP();
  }

  /** Every operator pod's log, for failure messages. */
  String operatorLogs() {
    StringBuilder out = new StringBuilder();
    for (Pod pod : operatorPods()) {
      out.append("--- operator pod ").append(pod.getMetadata().getName()).append('\n');
      try {
        String log = client.pods().inNamespace(OPERATOR_NAMESPACE).withName(pod.getMetadata().getName())
            .tailingLines(60).getLog();
        out.append(log);
      } catch (RuntimeException e) {
        out.append("(no log: ").append(e.getMessage()).append(")\n");
      }
    }
    return out.toString();
  }

  /**
   * Deletes the namespace's FunctionInstances and waits until their pods are gone: every class of the tier shares
   * the node's 2 CPUs of requests, so none may leave instances for the next.
   */
  void deleteFunctions(String namespace) {
    client.resources(FunctionInstance.class).inNamespace(namespace).delete();
    Await.until("every instance of " + namespace + " gone",
        () -> client.pods().inNamespace(namespace).withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems()
            .isEmpty(), SLOW);
  }

  /** A fresh namespace (deleted first if an earlier run left it). */
  String namespace(String name) {
    if (client.namespaces().withName(name).get() != null) {
      client.namespaces().withName(name).delete();
      Await.until("namespace " + name + " gone", () -> client.namespaces().withName(name).get() == null, SLOW);
    }
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    Await.until("service account default in " + name,
        () -> client.serviceAccounts().inNamespace(name).withName("default").get() != null, SLOW);
    return name;
  }

  /** Loads a FunctionInstance file (examples/, or the tier's own), puts it in {@code namespace}, edits it. */
  static FunctionInstance load(String file, String namespace, UnaryOperator<FunctionInstance> edit) {
    FunctionInstance fi = shared().client.resources(FunctionInstance.class).load(Path.of(file).toFile()).item();
    fi.getMetadata().setNamespace(namespace);
    return edit.apply(fi);
  }

  FunctionInstance apply(FunctionInstance fi) {
    return client.resource(fi).fieldManager("kubectl").forceConflicts().serverSideApply();
  }

  /** The function's instance pods that are not being deleted. */
  List<Pod> livePods(String namespace, String function) {
    return FcKube.pods(client, namespace, function).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  /** Waits until the function has exactly {@code n} Ready pods and no other live one; returns them. */
  List<Pod> awaitReadyPods(String namespace, String function, int n) {
    try {
      return Await.value(namespace + "/" + function + ": " + n + " Ready pod(s)", SLOW,
          () -> livePods(namespace, function), pods -> pods.size() == n && pods.stream().allMatch(FcKube::isReady));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + FcKube.describe(client, namespace, function), e);
    }
  }

  static Optional<ContainerStatus> functionContainer(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? Optional.empty()
        : pod.getStatus().getContainerStatuses().stream().filter(s -> "function".equals(s.getName())).findFirst();
  }

  /** The pod's log with the kubelet's timestamps (RFC 3339, nanoseconds), as {@code kubectl logs --timestamps}. */
  String log(String namespace, String pod) {
    return client.pods().inNamespace(namespace).withName(pod).inContainer("function").usingTimestamps().getLog();
  }

  /** Follows a pod's log from its start until the container ends, as {@code kubectl logs -f}. */
  LogFollower follow(String namespace, String pod) {
    return LogFollower.start(client, namespace, pod);
  }

  /** Follows one container's log of a pod, as {@code kubectl logs -f -c CONTAINER}. */
  LogFollower follow(String namespace, String pod, String container) {
    return LogFollower.start(client, namespace, pod, container);
  }

  /** {@code POST http://HOST:PORT/invoke} with the text as the body. */
  HttpResponse<String> invoke(String host, int port, String body) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/invoke"))
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("POST http://" + host + ":" + port + "/invoke: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The ClusterIP of the function's Service. */
  String clusterIp(String namespace, String function) {
    return client.services().inNamespace(namespace).withName(function).get().getSpec().getClusterIP();
  }

  static String podIp(Pod pod) {
    return pod.getStatus().getPodIP();
  }
}
