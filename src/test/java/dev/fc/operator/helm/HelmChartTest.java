package dev.fc.operator.helm;

import static dev.fc.operator.helm.ChartRenderer.NAMESPACE;
import static dev.fc.operator.helm.ChartRenderer.renderError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FcRuntime;
import dev.fc.operator.cli.InstanceSettingsOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** helm/fc-operator: lint, and what it renders for several sets of values. */
class HelmChartTest {
  /** The operator's permissions, exactly, in the order of the template. */
  static final List<String> OPERATOR_RULES = List.of(
      "[fc.dev] [functioninstances] [get, list, watch]",
      "[fc.dev] [functioninstances/status] [patch]",
      "[] [pods] [list, watch, create, delete]",
      "[] [configmaps] [get, list, watch, create, update, delete]",
      "[] [services] [get, list, watch, create, patch]",
      "[] [events] [create, get, patch]");
  static final List<String> LEASE_RULES = List.of("[coordination.k8s.io] [leases] [get, create, update, patch]");

  @Test
  void lintsStrictlyClean() {
    var result = ChartRenderer.helm().lint().strict().call();
    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void chartCrdIsTheTopLevelCrd() throws IOException {
    String file = "functioninstances.fc.dev-v1.yml";
    assertThat(Files.readString(ChartRenderer.CHART.resolve("crds").resolve(file)))
        .as("helm/fc-operator/crds/%s differs from crds/%s: cp crds/%s helm/fc-operator/crds/", file, file, file)
        .isEqualTo(Files.readString(Path.of("crds", file)));
  }

  @Test
  void defaultsWatchAllNamespacesWithAClusterRole() {
    List<HasMetadata> objects = render();
    assertThat(objects).extracting(HasMetadata::getKind)
        .containsExactly("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Service", "Deployment");
    assertThat(objects).filteredOn(o -> !o.getKind().startsWith("Cluster"))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NAMESPACE));
    assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "fc-operator")
        .containsEntry("app.kubernetes.io/instance", "fc-operator"));

    assertThat(rules(one(objects, ClusterRole.class).getRules())).containsExactlyElementsOf(OPERATOR_RULES);
    ClusterRoleBinding binding = one(objects, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo("fc-operator");
    assertThat(subjects(binding.getSubjects())).containsExactly("ServiceAccount fc-system/fc-operator");
    assertThat(one(objects, ServiceAccount.class).getMetadata().getName()).isEqualTo("fc-operator");

    Deployment deployment = one(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("fc-operator");
    Container container = container(deployment);
    assertThat(container.getImage()).isEqualTo("fc-operator:" + appVersion());
    assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(container.getCommand()).as("the image's entrypoint runs the operator").isEmpty();
    assertThat(env(container)).containsExactly(
        Map.entry("POD_NAMESPACE", "fieldRef:metadata.namespace"),
        Map.entry("FC_LOG_LEVEL", "INFO"),
        Map.entry("FC_LOG_JSON", "false"),
        Map.entry("FC_LEADER_ELECTION", "false"),
        Map.entry("FC_HTTP_PORT", "8080"),
        Map.entry("FC_GATEWAY_SELECTOR", GatewayChartTest.SELECTOR),
        Map.entry("FC_GATEWAY_NAMESPACE", "fc-system"),
        Map.entry("FC_GATEWAY_ADMIN_PORT", "9090"),
        Map.entry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75.0"));
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
  }

  @Test
  void restrictedSecurityContextWithAWritableTmp() {
    Deployment deployment = one(render(), Deployment.class);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var security = container(deployment).getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container(deployment).getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"))
        .satisfies(m -> assertThat(pod.getVolumes()).singleElement()
            .satisfies(v -> assertThat(v.getName()).isEqualTo(m.getName()))
            .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull()));
  }

  @Test
  void probesAndTheMetricsService() {
    List<HasMetadata> objects = render();
    Deployment deployment = one(objects, Deployment.class);
    Container container = container(deployment);
    assertThat(container.getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getName()).isEqualTo("http"))
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
    assertThat(probe(container.getStartupProbe())).isEqualTo("GET http /healthz");
    assertThat(probe(container.getLivenessProbe())).isEqualTo("GET http /healthz");
    assertThat(probe(container.getReadinessProbe())).isEqualTo("GET http /readyz");

    Service service = one(objects, Service.class);
    assertThat(service.getMetadata().getName()).isEqualTo("fc-operator-metrics");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
    assertThat(service.getSpec().getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080))
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));

    Service moved = one(render("metrics: {service: {port: 9090}}"), Service.class);
    assertThat(moved.getSpec().getPorts().get(0).getPort()).isEqualTo(9090);
    assertThat(moved.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
    assertThat(render("metrics: {service: {enabled: false}}")).extracting(HasMetadata::getKind)
        .doesNotContain("Service");
  }

  @Test
  void watchNamespacesGetARoleEach() {
    List<HasMetadata> objects = render("watchNamespaces: [a, b]");
    assertThat(objects).extracting(HasMetadata::getKind)
        .doesNotContain("ClusterRole", "ClusterRoleBinding")
        .containsSubsequence("Role", "Role", "RoleBinding", "RoleBinding");
    List<Role> roles = all(objects, Role.class);
    assertThat(roles).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactly("a/fc-operator", "b/fc-operator");
    assertThat(roles).allSatisfy(r -> assertThat(rules(r.getRules())).containsExactlyElementsOf(OPERATOR_RULES));
    List<RoleBinding> bindings = all(objects, RoleBinding.class);
    assertThat(bindings).extracting(b -> b.getMetadata().getNamespace() + " " + b.getRoleRef().getKind() + " "
            + b.getRoleRef().getName() + " -> " + subjects(b.getSubjects()))
        .containsExactly(
            "a Role fc-operator -> [ServiceAccount fc-system/fc-operator]",
            "b Role fc-operator -> [ServiceAccount fc-system/fc-operator]");
    assertThat(env(container(one(objects, Deployment.class)))).containsEntry("FC_WATCH_NAMESPACES", "a,b");
  }

  @Test
  void leaderElectionWithTwoReplicas() {
    List<HasMetadata> objects = render("replicas: 2\nleaderElection: {enabled: true}\n");
    Deployment deployment = one(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(env(container(deployment)))
        .containsEntry("FC_LEADER_ELECTION", "true")
        .containsEntry("FC_LEADER_ELECTION_LEASE", "fc-operator")
        .containsEntry("FC_LEADER_ELECTION_NAMESPACE", NAMESPACE);

    assertThat(rules(one(objects, ClusterRole.class).getRules())).containsExactlyElementsOf(OPERATOR_RULES);
    Role lease = one(objects, Role.class);
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(lease.getMetadata().getName()).isEqualTo("fc-operator-leader-election");
    assertThat(rules(lease.getRules())).containsExactlyElementsOf(LEASE_RULES);
    RoleBinding binding = one(objects, RoleBinding.class);
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(binding.getRoleRef().getName()).isEqualTo("fc-operator-leader-election");
    assertThat(subjects(binding.getSubjects())).containsExactly("ServiceAccount fc-system/fc-operator");
  }

  @Test
  void leaseRoleStaysInTheReleaseNamespaceWhenWatchingOthers() {
    List<HasMetadata> objects = render("watchNamespaces: [a]\nleaderElection: {enabled: true, leaseName: fc-lock}\n");
    assertThat(all(objects, Role.class)).extracting(r -> r.getMetadata().getNamespace() + "/"
            + r.getMetadata().getName() + " " + rules(r.getRules()).size())
        .containsExactly("a/fc-operator 6", "fc-system/fc-operator-leader-election 1");
    assertThat(env(container(one(objects, Deployment.class)))).containsEntry("FC_LEADER_ELECTION_LEASE", "fc-lock");
  }

  @Test
  void noLeaseRulesWithoutLeaderElection() {
    assertThat(render()).extracting(HasMetadata::getKind).doesNotContain("Role", "RoleBinding");
  }

  @Test
  void moreThanOneReplicaNeedsLeaderElection() {
    assertThat(renderError("replicas: 2"))
        .contains("replicas: 2 needs leaderElection.enabled=true");
    assertThat(one(render("replicas: 0"), Deployment.class).getSpec().getReplicas()).isZero();
  }

  @Test
  void customImage() {
    List<HasMetadata> objects = render("""
        image: {repository: registry.example.com/team/fc-operator, tag: "1.2.3", pullPolicy: Always}
        imagePullSecrets: [{name: regcred}]
        """);
    Deployment deployment = one(objects, Deployment.class);
    assertThat(container(deployment).getImage()).isEqualTo("registry.example.com/team/fc-operator:1.2.3");
    assertThat(container(deployment).getImagePullPolicy()).isEqualTo("Always");
    assertThat(deployment.getSpec().getTemplate().getSpec().getImagePullSecrets())
        .extracting(s -> s.getName()).containsExactly("regcred");
  }

  @Test
  void runtimeImagesReachTheOperatorThroughItsEnvironment() {
    List<HasMetadata> objects = render("""
        runtimeImages:
          python3.9: mirror.example.com/python:3.9-slim
          python3.10: mirror.example.com/python:3.10-slim
          python3.12: mirror.example.com/python:3.12-slim
          nodejs18: mirror.example.com/node:18-slim
          nodejs20: mirror.example.com/node:20-slim
          custom.debian12: mirror.example.com/python:3.12-slim-bookworm
        """);
    Map<String, String> env = env(container(one(objects, Deployment.class)));
    for (FcRuntime runtime : FcRuntime.values()) {
      if (!runtime.hasRuntimeImage()) {
        assertThat(env).doesNotContainKey(InstanceSettingsOptions.environmentName(runtime));
        continue;
      }
      String image = runtime.python() ? "mirror.example.com/python:" + runtime.pythonVersion() + "-slim"
          : runtime.node() ? "mirror.example.com/node:" + runtime.nodeVersion() + "-slim"
          : "mirror.example.com/python:3.12-slim-bookworm";
      assertThat(env).containsEntry(InstanceSettingsOptions.environmentName(runtime), image);
    }
    Map<String, String> one = env(container(one(render("runtimeImages: {python3.12: x/py:3.12}"), Deployment.class)));
    assertThat(one).containsEntry("FC_RUNTIME_IMAGE_PYTHON3_12", "x/py:3.12")
        .doesNotContainKeys("FC_RUNTIME_IMAGE_PYTHON3_9", "FC_RUNTIME_IMAGE_PYTHON3_10");
  }

  @Test
  void loggingRegionAndJvm() {
    Map<String, String> env = env(container(one(render("""
        logLevel: DEBUG
        logJson: true
        region: cn-hangzhou
        accountId: "1234567890"
        jvm: {maxRAMPercentage: 60, extraOptions: "-XX:+ExitOnOutOfMemoryError"}
        """), Deployment.class)));
    assertThat(env)
        .containsEntry("FC_LOG_LEVEL", "DEBUG")
        .containsEntry("FC_LOG_JSON", "true")
        .containsEntry("FC_REGION", "cn-hangzhou")
        .containsEntry("FC_ACCOUNT_ID", "1234567890")
        .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=60.0 -XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void schedulingAndPodMetadata() {
    Deployment deployment = one(render("""
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: dedicated, operator: Equal, value: operators, effect: NoSchedule}]
        affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]}]}}}
        podAnnotations: {prometheus.io/scrape: "true"}
        podLabels: {team: platform}
        """), Deployment.class);
    var template = deployment.getSpec().getTemplate();
    assertThat(template.getSpec().getNodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
    assertThat(template.getSpec().getTolerations()).singleElement()
        .satisfies(t -> assertThat(t.getValue()).isEqualTo("operators"));
    assertThat(template.getSpec().getAffinity().getNodeAffinity()).isNotNull();
    assertThat(template.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true");
    assertThat(template.getMetadata().getLabels()).containsEntry("team", "platform")
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void existingServiceAccount() {
    List<HasMetadata> objects = render("serviceAccount: {create: false, name: ops}");
    assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("ServiceAccount");
    assertThat(subjects(one(objects, ClusterRoleBinding.class).getSubjects()))
        .containsExactly("ServiceAccount fc-system/ops");
    assertThat(one(objects, Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("ops");
    assertThat(renderError("serviceAccount: {create: false}"))
        .contains("serviceAccount.name is required when serviceAccount.create is false");
  }

  @Test
  void namesFollowTheRelease() {
    List<HasMetadata> objects = withoutGateway(ChartRenderer.parse(ChartRenderer.renderRelease("functions", "ops")));
    assertThat(objects).extracting(o -> o.getKind() + " " + o.getMetadata().getName()).containsExactly(
        "ServiceAccount functions-fc-operator",
        "ClusterRole functions-fc-operator",
        "ClusterRoleBinding functions-fc-operator",
        "Service functions-fc-operator-metrics",
        "Deployment functions-fc-operator");
    assertThat(subjects(one(objects, ClusterRoleBinding.class).getSubjects()))
        .containsExactly("ServiceAccount ops/functions-fc-operator");
  }

  @Test
  void schemaRejectsBadValues() {
    assertThat(renderError("replicas: two")).contains("/replicas").contains("want integer");
    assertThat(renderError("replica: 2")).contains("additional properties 'replica' not allowed");
    assertThat(renderError("logLevel: VERBOSE")).contains("/logLevel");
    assertThat(renderError("runtimeImages: {python3.8: x}")).contains("additional properties 'python3.8' not allowed");
    assertThat(renderError("watchNamespaces: [Team_A]")).contains("/watchNamespaces/0");
    assertThat(renderError("image: {tag: 1.0}")).contains("/image/tag");
    assertThat(renderError("jvm: {maxRAMPercentage: 150}")).contains("/jvm/maxRAMPercentage");
    assertThat(renderError("metrics: {service: {port: 0}}")).contains("/metrics/service/port");
  }

  private static String appVersion() {
    try {
      return Files.readAllLines(ChartRenderer.CHART.resolve("Chart.yaml")).stream()
          .filter(l -> l.startsWith("appVersion:")).findFirst().orElseThrow()
          .substring("appVersion:".length()).strip().replace("\"", "");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The operator's objects: the chart's without the gateway's (GatewayChartTest). */
  static List<HasMetadata> render(String... values) {
    return withoutGateway(ChartRenderer.render(values));
  }

  static List<HasMetadata> withoutGateway(List<HasMetadata> objects) {
    return objects.stream().filter(o -> !GatewayChartTest.gateway(o)).toList();
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    assertThat(found).as("objects of kind %s", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  static Container container(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  /** Name to value, or to {@code fieldRef:PATH} for the downward API, in order. */
  static Map<String, String> env(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null
          ? "fieldRef:" + var.getValueFrom().getFieldRef().getFieldPath() : var.getValue());
    }
    return env;
  }

  static List<String> rules(List<PolicyRule> rules) {
    return rules.stream().map(r -> r.getApiGroups() + " " + r.getResources() + " " + r.getVerbs()).toList();
  }

  static List<String> subjects(List<Subject> subjects) {
    return subjects.stream().map(s -> s.getKind() + " " + s.getNamespace() + "/" + s.getName()).toList();
  }

  private static String probe(Probe probe) {
    assertThat(probe).isNotNull();
    return "GET " + probe.getHttpGet().getPort().getStrVal() + " " + probe.getHttpGet().getPath();
  }
}
