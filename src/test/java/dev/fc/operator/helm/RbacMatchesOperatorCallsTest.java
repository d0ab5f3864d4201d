package dev.fc.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.Await;
import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.kube.FcKube;
import dev.fc.operator.desired.ConfigMapFactory;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.manager.FcOperator;
import dev.fc.operator.manager.ManagerSettings;
import dev.fc.operator.reconciler.ReconcilerSettings;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart grants exactly the verbs the operator uses. A full scenario runs against the mock server
 * (create, readiness, failure and replacement, scale down, rollout, Service drift, leader election); every
 * request the operator's own client sends is turned into (API group, resource, verb) and compared with
 * the rules of the rendered ClusterRole and lease Role. A call the chart does not allow fails the test,
 * and so does a rule the operator never needs.
 */
@EnableKubernetesMockClient(crud = true)
class RbacMatchesOperatorCallsTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private static final String AGENT = "fc-operator-rbac-probe";
  private static final Pattern PATH = Pattern.compile(
      "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/[^/]+)?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(?:\\?(.*))?$");

  @Test
  void theChartGrantsExactlyWhatTheOperatorCalls() throws Exception {
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
            .withApiGroups("*").withResources("*").withVerbs("*").endResourceRule().endStatus().build())
        .always();
    KubernetesClient operatorClient = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
    ManagerSettings options = ManagerSettings.defaults()
        .withServerSideApply(false)
        .withNamespaces(Set.of("rbac"))
        .withReconcilerSettings(new ReconcilerSettings(Duration.ofMillis(200), Duration.ofSeconds(1),
            Duration.ofMillis(200)));
    Operator operator = FcOperator.create(operatorClient, options, Clock.systemUTC());
    try {
      operator.start();
      runScenario();
    } finally {
      operator.stop();
    }
    // a leader-elected run, for the Lease calls
    Operator elected = FcOperator.create(operatorClient, options.withLeaderElection(
        new ManagerSettings.LeaderElection("fc-operator", Optional.of("rbac"), false)), Clock.systemUTC());
    try {
      elected.start();
      awaitLeaseRenewed();
      // a restarted operator finds the event it did not write itself and counts on
      Await.until("the InvalidSpec event counted after the restart", () -> invalidSpecCount() == 3);
    } finally {
      elected.stop();
      operatorClient.close();
    }

    Set<String> called = operatorCalls();
    // java-operator-sdk refuses to start leader election unless a self-review shows these verbs on leases
    called.addAll(Set.of("coordination.k8s.io/leases:get", "coordination.k8s.io/leases:create",
        "coordination.k8s.io/leases:update"));
    Set<String> granted = new TreeSet<>();
    List<HasMetadata> chart = ChartRenderer.render("leaderElection:\n  enabled: true\nreplicas: 2\n");
    chart.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
        .forEach(role -> granted.addAll(verbs(role.getRules())));
    chart.stream().filter(Role.class::isInstance).map(Role.class::cast)
        .forEach(role -> granted.addAll(verbs(role.getRules())));
    assertThat(called).as("what the operator called, as group/resource:verb").isEqualTo(granted);
  }

  private void runScenario() {
    FunctionInstance fi = Fixtures.function("emoji");
    fi.setMetadata(new ObjectMetaBuilder().withName("emoji").withNamespace("rbac").build());
    fi.getSpec().setInstances(2);
    client.resource(fi).create();
    List<Pod> pods = Await.value("2 pods", () -> pods(), p -> p.size() == 2);
    pods.forEach(this::ready);
    Await.until("status written", () -> {
      FunctionInstance current = client.resources(FunctionInstance.class).inNamespace("rbac").withName("emoji").get();
      return current.getStatus() != null && "2/2".equals(current.getStatus().getReady());
    });
    // a failed instance is replaced
    Pod failed = pods.get(0);
    writeStatus(failed, new PodStatusBuilder().withPhase("Failed")
        .withContainerStatuses(new ContainerStatusBuilder().withName("function").withStarted(false)
            .withNewState().withNewTerminated().withExitCode(1).withMessage("{\"exitReason\":\"InitializerFailed\"}")
            .endTerminated().endState().build()).build());
    Await.until("replacement", () -> pods().stream().noneMatch(p -> p.getMetadata().getName()
        .equals(failed.getMetadata().getName())) && pods().size() == 2);
    pods().forEach(this::ready);
    // someone edits the Service: the operator patches it back
    FcKube.editRetrying(client.services().inNamespace("rbac").withName("emoji"), s -> {
      s.getSpec().setSelector(Map.of("app", "other"));
      return s;
    });
    Await.until("service patched back", () -> client.services().inNamespace("rbac").withName("emoji").get()
        .getSpec().getSelector().containsKey(Labels.FUNCTION));
    // a rollout, then a scale down
    String oldCode = client.configMaps().inNamespace("rbac").list().getItems().stream()
        .map(cm -> cm.getMetadata().getName()).filter(n -> n.startsWith("emoji-code-")).findFirst().orElseThrow();
    FcKube.edit(client, "rbac", "emoji",
        f -> f.getSpec().setCode(Code.inline(Map.of("index.py", "def handler(event, context):\n    return b'v2'\n"))));
    Await.until("new pods ready", () -> {
      pods().forEach(this::ready);
      return client.configMaps().inNamespace("rbac").withName(oldCode).get() == null;
    });
    FcKube.edit(client, "rbac", "emoji", f -> f.getSpec().setInstances(0));
    Await.until("scaled to zero", () -> pods().isEmpty());
    // a second function of the namespace becomes an owner of the shared runtime ConfigMap
    FunctionInstance second = Fixtures.function("second");
    second.setMetadata(new ObjectMetaBuilder().withName("second").withNamespace("rbac").build());
    second.getSpec().setInstances(0);
    client.resource(second).create();
    Await.until("two owners of the shared runtime", () -> client.configMaps().inNamespace("rbac").list().getItems()
        .stream().filter(ConfigMapFactory::isSharedRuntime)
        .anyMatch(cm -> cm.getMetadata().getOwnerReferences().size() == 2));
    // an invalid spec, reconciled twice with one message: one Warning whose count is raised
    FcKube.edit(client, "rbac", "emoji", f -> f.getSpec().setTimeout(0));
    Await.until("an InvalidSpec event", () -> invalidSpecCount() == 1);
    FcKube.edit(client, "rbac", "emoji", f -> f.getSpec().setMemorySize(256));
    Await.until("the InvalidSpec event counted twice", () -> invalidSpecCount() == 2);
  }

  private int invalidSpecCount() {
    return client.v1().events().inNamespace("rbac").list().getItems().stream()
        .filter(e -> "InvalidSpec".equals(e.getReason())).mapToInt(e -> e.getCount()).sum();
  }

  private void awaitLeaseRenewed() {
    Await.until("lease renewed", () -> {
      var lease = client.leases().inNamespace("rbac").withName("fc-operator").get();
      return lease != null && lease.getSpec().getRenewTime() != null && lease.getSpec().getAcquireTime() != null
          && !lease.getSpec().getRenewTime().equals(lease.getSpec().getAcquireTime());
    }, Duration.ofSeconds(30));
  }

  private List<Pod> pods() {
    return client.pods().inNamespace("rbac").withLabel(Labels.FUNCTION, "emoji").list().getItems();
  }

  /** Plays the kubelet: the pod is running and ready. */
  private void ready(Pod pod) {
    writeStatus(pod, new PodStatusBuilder().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(Instant.now().toString())
        .endCondition()
        .withContainerStatuses(new ContainerStatusBuilder().withName("function").withStarted(true).withReady(true)
            .withNewState().withNewRunning().endRunning().endState().build())
        .build());
  }

  /** Writes a pod's status as the kubelet would; a pod the operator deleted meanwhile is skipped. */
  private static void writeStatus(Pod pod, io.fabric8.kubernetes.api.model.PodStatus status) {
    Pod fresh = client.pods().inNamespace("rbac").withName(pod.getMetadata().getName()).get();
    if (fresh == null) {
      return;
    }
    fresh.setStatus(status);
    try {
      client.pods().inNamespace("rbac").resource(fresh).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Every request the operator's client sent, as "group/resource:verb" (core group written as ""). */
  private static Set<String> operatorCalls() throws InterruptedException {
    Set<String> calls = new TreeSet<>();
    RecordedRequest request;
    while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      if (!AGENT.equals(request.getHeader("User-Agent"))) {
        continue;
      }
      String path = URI.create(request.getPath()).getRawPath();
      String query = URI.create(request.getPath()).getRawQuery();
      Matcher m = PATH.matcher(path);
      assertThat(m.matches()).as("a resource path: %s", request.getPath()).isTrue();
      String group = m.group(1) == null ? "" : m.group(1);
      if (group.equals("authorization.k8s.io")) {
        continue; // self-reviews, allowed to every authenticated user
      }
      String resource = m.group(2);
      String name = m.group(3);
      String subresource = m.group(4);
      String verb = switch (request.getMethod()) {
        case "GET" -> query != null && query.contains("watch=true") ? "watch" : name == null ? "list" : "get";
        case "POST" -> "create";
        case "PUT" -> "update";
        case "PATCH" -> "patch";
        case "DELETE" -> name == null ? "deletecollection" : "delete";
        default -> request.getMethod();
      };
      calls.add(group + "/" + resource + (subresource == null ? "" : "/" + subresource) + ":" + verb);
    }
    return calls;
  }

  private static Set<String> verbs(List<PolicyRule> rules) {
    Set<String> verbs = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          rule.getVerbs().forEach(verb -> verbs.add(group + "/" + resource + ":" + verb));
        }
      }
    }
    return verbs;
  }
}
