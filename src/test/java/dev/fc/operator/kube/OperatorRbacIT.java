package dev.fc.operator.kube;

import static dev.fc.operator.kube.FcKube.SLOW;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.fc.operator.Await;
import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.helm.ChartRenderer;
import dev.fc.operator.manager.ManagerSettings;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import dev.fc.operator.gateway.Gateway;
import dev.fc.operator.gateway.GatewaySettings;
import dev.fc.operator.gateway.KubernetesSource;
import dev.fc.operator.gateway.PeerPods;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The operator authenticated as the chart's ServiceAccount, with nothing but the chart's RBAC (rendered by
 * Helm from helm/fc-operator, applied as is): a whole cycle (create, status, events, scale-down, rollout)
 * must work, and no request may be forbidden. The chart's Deployment is not applied: the operator runs in
 * this JVM, as that ServiceAccount.
 */
@ExtendWith(KubeTierExtension.class)
class OperatorRbacIT {
  private static PodLifecycleResponder lifecycle;

  private final List<FcKube.RunningOperator> operators = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void cluster(KubeTier tier) {
    tier.withNode();
    lifecycle = PodLifecycleResponder.shared();
    FcKube.installCrd(tier.adminClient());
  }

  @BeforeEach
  void captureLogs() {
    lifecycle.reset();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterEach
  void stop() {
    operators.forEach(FcKube.RunningOperator::close);
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  @Test
  void aFullCycleWorksWithTheChartsClusterRole(KubeTier tier) {
    KubernetesClient admin = tier.adminClient();
    String system = tier.createNamespace("fc-system");
    String functions = tier.createNamespace("functions");
    Release release = install(admin, system, "");
    assertThat(release.all(ClusterRole.class)).hasSize(1);
    assertThat(release.all(Role.class)).as("no leader election: no lease Role").isEmpty();

    KubernetesClient operatorClient = tier.serviceAccountClient(system, release.serviceAccount());
    awaitGrant(tier, operatorClient, functions);
    // the chart's default watches all namespaces: its informers list and watch cluster-wide
    assertThat(operatorClient.resources(FunctionInstance.class).inAnyNamespace().list().getItems()).isNotNull();
    assertThat(operatorClient.pods().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGER).list())
        .isNotNull();
    operatorClient.configMaps().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGER).list();
    operatorClient.services().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGER).list();

    operators.add(FcKube.startOperator(operatorClient, functions));
    fullCycle(admin, functions);
    assertNothingForbidden();
  }

  @Test
  void theGatewayReadsWhatItRoutesAndItsPeersWithTheChartsRulesAndTheOperatorFindsIt(KubeTier tier)
      throws Exception {
    KubernetesClient admin = tier.adminClient();
    String system = tier.createNamespace("fc-system");
    String functions = tier.createNamespace("functions");
    Release release = install(admin, system, "watchNamespaces: [" + functions + "]\n");
    String gatewayAccount = release.objects().stream().filter(ServiceAccount.class::isInstance)
        .map(o -> o.getMetadata().getName()).filter(n -> n.endsWith("-gateway")).findFirst().orElseThrow();
    KubernetesClient gatewayClient = tier.serviceAccountClient(system, gatewayAccount);
    awaitGrant(tier, gatewayClient, functions);
    try (Gateway gateway = Gateway.start(new GatewaySettings(0, 0, functions, "gw-rbac"),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true)) {
      KubernetesSource source = KubernetesSource.start(gatewayClient, Set.of(functions), gateway.directory());
      PeerPods peers = PeerPods.watch(gatewayClient, system, "app.kubernetes.io/component=gateway", gateway.port(),
          gateway.peers());
      try {
        tier.await("the gateway's informers synced under its own account", SLOW,
            () -> source.synced() && peers.synced());
      } finally {
        source.close();
        peers.close();
      }
    }
    // the operator's leader lists the gateway's pods in the release namespace
    KubernetesClient operatorClient = tier.serviceAccountClient(system, release.serviceAccount());
    assertThat(operatorClient.pods().inNamespace(system).withLabelSelector("app.kubernetes.io/component=gateway")
        .list().getItems()).isNotNull();
    assertNothingForbidden();
  }

  @Test
  void twoReplicasWithLeaderElectionUseTheChartsLeaseRole(KubeTier tier) {
    KubernetesClient admin = tier.adminClient();
    String system = tier.createNamespace("fc-system");
    String functions = tier.createNamespace("functions");
    Release release = install(admin, system, "replicas: 2\nleaderElection:\n  enabled: true\n");
    Role leaseRole = release.all(Role.class).stream().filter(r -> r.getMetadata().getName().endsWith("-leader-election"))
        .findFirst().orElseThrow();
    assertThat(leaseRole.getMetadata().getNamespace()).isEqualTo(system);
    String lease = "fc-operator"; // leaderElection.leaseName's default
    // JOSDK takes the replica's identity from $HOSTNAME (the pod name in a cluster), else a random UUID
    assertThat(System.getenv("HOSTNAME")).as("two in-process replicas need distinct identities; the kube"
        + " profile removes HOSTNAME from the test JVM's environment").isNullOrEmpty();

    KubernetesClient clientA = tier.serviceAccountClient(system, release.serviceAccount());
    KubernetesClient clientB = tier.serviceAccountClient(system, release.serviceAccount());
    awaitGrant(tier, clientA, functions);
    UnaryOperator<ManagerSettings> election = o -> o.withLeaderElection(
        new ManagerSettings.LeaderElection(lease, Optional.of(system), false));
    FcKube.RunningOperator a = FcKube.startOperator(clientA, functions, election);
    operators.add(a);
    FcKube.RunningOperator b = FcKube.startOperator(clientB, functions, election);
    operators.add(b);

    Lease held = Await.value("a replica to take the Lease", SLOW,
        () -> admin.leases().inNamespace(system).withName(lease).get(),
        l -> l != null && l.getSpec().getHolderIdentity() != null && !l.getSpec().getHolderIdentity().isBlank());
    String leaderIdentity = held.getSpec().getHolderIdentity();
    // the leader renews the Lease (every retry period, 2 s)
    ZonedDateTime firstRenewal = held.getSpec().getRenewTime();
    Await.until("the leader to renew the Lease", () -> {
      Lease now = admin.leases().inNamespace(system).withName(lease).get();
      return leaderIdentity.equals(now.getSpec().getHolderIdentity())
          && now.getSpec().getRenewTime().isAfter(firstRenewal);
    }, SLOW);

    admin.resource(FcKube.function(functions, "emoji", 1)).create();
    FcKube.awaitStatus(admin, functions, "emoji", "1/1 Ready", s -> FcKube.settled(s, 1));
    assertThat(List.of(a.reconcilesStarted() > 0, b.reconcilesStarted() > 0))
        .as("exactly one replica, the leader, reconciles").containsExactlyInAnyOrder(true, false);
    FcKube.RunningOperator leader = a.reconcilesStarted() > 0 ? a : b;
    FcKube.RunningOperator standby = leader == a ? b : a;

    // the leader goes away: the standby takes the Lease over and carries on
    leader.close();
    operators.remove(leader);
    Await.until("the standby to take the Lease over", () -> {
      Lease now = admin.leases().inNamespace(system).withName(lease).get();
      String holder = now.getSpec().getHolderIdentity();
      return holder != null && !holder.isBlank() && !holder.equals(leaderIdentity);
    }, SLOW);
    FcKube.fi(admin, functions, "emoji").scale(2);
    FcKube.awaitStatus(admin, functions, "emoji", "2/2 Ready", s -> FcKube.settled(s, 2));
    assertThat(standby.reconcilesStarted()).isPositive();
    rollOut(admin, functions, "emoji", 2);
    assertNothingForbidden();
  }

  // ---- the cycle ----

  /** Create, scale down, roll out: every kind of write the operator makes. */
  private void fullCycle(KubernetesClient admin, String ns) {
    admin.resource(FcKube.function(ns, "emoji", 2)).create();
    FcKube.awaitStatus(admin, ns, "emoji", "2/2 Ready", s -> FcKube.settled(s, 2));
    assertThat(FcKube.pods(admin, ns, "emoji")).hasSize(2);
    assertThat(FcKube.configMaps(admin, ns, "emoji")).hasSize(1);
    assertThat(FcKube.sharedRuntimes(admin, ns)).hasSize(1);
    assertThat(admin.services().inNamespace(ns).withName("emoji").get()).isNotNull();
    assertThat(FcKube.fi(admin, ns, "emoji").get().getMetadata().getManagedFields())
        .anySatisfy(m -> {
          assertThat(m.getManager()).isEqualTo("fc-operator");
          assertThat(m.getOperation()).isEqualTo("Apply");
        });
    Await.until("InstanceCreated events", () -> FcKube.events(admin, ns, "emoji").stream()
        .filter(e -> "InstanceCreated".equals(e.getReason())).count() == 2);

    int preStops = lifecycle.count(PodLifecycleResponder.PRE_STOP);
    FcKube.fi(admin, ns, "emoji").scale(1);
    FcKube.awaitStatus(admin, ns, "emoji", "1/1 Ready", s -> FcKube.settled(s, 1));
    Await.until("the surplus pod deleted", () -> FcKube.pods(admin, ns, "emoji").size() == 1, SLOW);
    assertThat(lifecycle.count(PodLifecycleResponder.PRE_STOP) - preStops).isEqualTo(1);
    assertThat(FcKube.events(admin, ns, "emoji")).extracting(Event::getMessage)
        .anyMatch(m -> m.endsWith("(scale down)"));

    rollOut(admin, ns, "emoji", 1);
  }

  /** A code change: new pods, old ones deleted once the new are ready, the old code's ConfigMap deleted. */
  private void rollOut(KubernetesClient admin, String ns, String name, int instances) {
    List<Pod> old = FcKube.pods(admin, ns, name);
    String oldHash = FcKube.hash(old.get(0));
    int preStops = lifecycle.count(PodLifecycleResponder.PRE_STOP);
    FcKube.edit(admin, ns, name, fi -> fi.getSpec().setCode(Code.inline(Map.of("index.py",
        "def handler(event, context):\n    return b'" + System.nanoTime() + "'\n"))));
    Await.until("a new template rolled out", () -> {
      List<Pod> now = FcKube.pods(admin, ns, name);
      return now.size() == instances && now.stream().allMatch(p -> !oldHash.equals(FcKube.hash(p)) && FcKube.isReady(p));
    }, SLOW);
    FcKube.awaitStatus(admin, ns, name, instances + "/" + instances + " Stable", s -> FcKube.settled(s, instances));
    assertThat(lifecycle.count(PodLifecycleResponder.PRE_STOP) - preStops).isEqualTo(old.size());
    Await.until("RolloutFinished and the old code ConfigMap gone", () ->
        FcKube.eventReasons(admin, ns, name).contains("RolloutFinished")
            && FcKube.configMaps(admin, ns, name).size() == 1, SLOW);
  }

  // ---- the chart ----

  /** The chart's objects, rendered by Helm; {@link #all} gives the operator's, without the gateway's. */
  record Release(String name, List<HasMetadata> objects) {
    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance)
          .filter(o -> !"gateway".equals(o.getMetadata().getLabels().get("app.kubernetes.io/component")))
          .map(type::cast).toList();
    }

    String serviceAccount() {
      return all(ServiceAccount.class).get(0).getMetadata().getName();
    }
  }

  /**
   * Renders the chart as release {@code fc-operator-<suffix>} (unique: its ClusterRole is cluster-wide) in
   * {@code namespace} with {@code values}, and applies its ServiceAccount and RBAC objects unchanged.
   */
  private static Release install(KubernetesClient admin, String namespace, String values) {
    String name = "fc-operator-" + namespace.substring(namespace.lastIndexOf('-') + 1);
    String rendered = values.isEmpty() ? ChartRenderer.renderRelease(name, namespace)
        : ChartRenderer.renderRelease(name, namespace, values);
    Release release = new Release(name, ChartRenderer.parse(rendered));
    for (HasMetadata object : release.objects()) {
      if (object instanceof ServiceAccount || object instanceof ClusterRole || object instanceof ClusterRoleBinding
          || object instanceof Role || object instanceof RoleBinding) {
        admin.resource(object).create();
      }
    }
    System.err.println("OperatorRbacIT: applied the chart's rules for release " + name + ":\n" + rules(release));
    return release;
  }

  private static String rules(Release release) {
    StringBuilder out = new StringBuilder();
    release.all(ClusterRole.class).forEach(r -> r.getRules().forEach(rule -> out.append("  ClusterRole ")
        .append(rule(rule)).append('\n')));
    release.all(Role.class).forEach(r -> r.getRules().forEach(rule -> out.append("  Role ")
        .append(r.getMetadata().getName()).append(' ').append(rule(rule)).append('\n')));
    return out.toString();
  }

  private static String rule(PolicyRule rule) {
    return rule.getApiGroups() + " " + rule.getResources() + " " + rule.getVerbs();
  }

  /** RBAC reaches the authorizer through its informers: wait until the binding is in effect. */
  private static void awaitGrant(KubeTier tier, KubernetesClient client, String namespace) {
    tier.await("the chart's RBAC to reach the authorizer", SLOW, () -> {
      try {
        client.resources(FunctionInstance.class).inNamespace(namespace).list();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 403) {
          return false;
        }
        throw e;
      }
    });
  }

  /** No request of the operator was refused: JOSDK retries failed reconciles and logs them, never silently. */
  private void assertNothingForbidden() {
    List<String> forbidden = logs.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .filter(e -> mentionsForbidden(e.getFormattedMessage()) || mentionsForbidden(e.getThrowableProxy()))
        .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()
            + (e.getThrowableProxy() == null ? "" : " / " + e.getThrowableProxy().getMessage()))
        .toList();
    assertThat(forbidden).as("requests the chart's RBAC refused").isEmpty();
  }

  private static boolean mentionsForbidden(IThrowableProxy proxy) {
    for (IThrowableProxy p = proxy; p != null; p = p.getCause()) {
      if (mentionsForbidden(p.getMessage())) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentionsForbidden(String text) {
    return text != null && (text.contains("Forbidden") || text.contains("forbidden") || text.contains(" 403"));
  }
}
