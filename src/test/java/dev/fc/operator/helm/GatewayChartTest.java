package dev.fc.operator.helm;

import static dev.fc.operator.helm.HelmChartTest.all;
import static dev.fc.operator.helm.HelmChartTest.container;
import static dev.fc.operator.helm.HelmChartTest.env;
import static dev.fc.operator.helm.HelmChartTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart's gateway (docs/elastic.md): its Deployment, Service and least-privilege RBAC, and how the operator finds it. */
class GatewayChartTest {
  static final String SELECTOR =
      "app.kubernetes.io/name=fc-operator-gateway,app.kubernetes.io/instance=fc-operator,app.kubernetes.io/component=gateway";

  static boolean gateway(HasMetadata object) {
    return "gateway".equals(object.getMetadata().getLabels().get("app.kubernetes.io/component"));
  }

  static List<HasMetadata> gatewayObjects(String... values) {
    return ChartRenderer.render(values).stream().filter(GatewayChartTest::gateway).toList();
  }

  static List<String> rules(List<PolicyRule> rules) {
    return rules.stream().map(r -> r.getApiGroups() + " " + r.getResources() + " " + r.getVerbs()).toList();
  }

  @Test
  void byDefaultTwoGatewayReplicasRunTheGatewayCommandUnderTheirOwnReadOnlyAccount() {
    List<HasMetadata> objects = gatewayObjects();
    assertThat(objects).extracting(o -> o.getKind() + " " + o.getMetadata().getName()).containsExactly(
        "ServiceAccount fc-operator-gateway",
        "ClusterRole fc-operator-gateway",
        "ClusterRoleBinding fc-operator-gateway",
        "Role fc-operator-gateway-discovery",
        "RoleBinding fc-operator-gateway-discovery",
        "Service fc-operator-gateway",
        "Deployment fc-operator-gateway");
    Deployment deployment = one(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("fc-operator-gateway");
    assertThat(pod.getTerminationGracePeriodSeconds()).as("the gateway's drain (5 s) and stop timeout (30 s) fit")
        .isEqualTo(45L);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    var container = container(deployment);
    assertThat(container.getCommand()).containsExactly("java", "-jar", "/app/fc-operator.jar", "gateway");
    assertThat(container.getArgs()).containsExactly("--port=8080", "--admin-port=9090", "--namespace=default",
        "--peer-selector=" + SELECTOR);
    assertThat(env(container)).containsEntry("POD_NAME", "fieldRef:metadata.name")
        .containsEntry("POD_NAMESPACE", "fieldRef:metadata.namespace");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
    assertThat(rules(one(objects, ClusterRole.class).getRules())).containsExactly(
        "[fc.dev] [functioninstances] [list, watch]", "[] [pods] [list, watch]");
    assertThat(one(objects, ClusterRoleBinding.class).getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("fc-operator-gateway"));
  }

  @Test
  void theServiceExposesTheInvocationPortAndNotTheAdminPort() {
    Service service = one(gatewayObjects(), Service.class);
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(80);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("invoke");
    });
    Deployment deployment = one(gatewayObjects(), Deployment.class);
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void theOperatorFindsTheGatewayPodsByTheirLabelsInTheReleaseNamespace() {
    Deployment gateway = one(gatewayObjects(), Deployment.class);
    String podLabels = gateway.getSpec().getTemplate().getMetadata().getLabels().entrySet().stream()
        .filter(e -> e.getKey().startsWith("app.kubernetes.io/"))
        .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(","));
    assertThat(podLabels).isEqualTo(
        List.of(SELECTOR.split(",")).stream().sorted().collect(Collectors.joining(",")));
    Deployment operator = one(HelmChartTest.render(), Deployment.class);
    assertThat(operator.getSpec().getSelector().getMatchLabels())
        .as("the operator's Deployment does not select the gateway's pods")
        .isNotEqualTo(gateway.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "fc-operator");
    assertThat(env(container(operator))).containsEntry("FC_GATEWAY_SELECTOR", SELECTOR)
        .containsEntry("FC_GATEWAY_ADMIN_PORT", "9090");
    Role discovery = one(gatewayObjects(), Role.class);
    assertThat(discovery.getMetadata().getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
    assertThat(rules(discovery.getRules())).containsExactly("[] [pods] [list, watch]");
    assertThat(one(gatewayObjects(), RoleBinding.class).getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("fc-operator"));
  }

  @Test
  void watchNamespacesGiveTheGatewayARoleEachAndItsArguments() {
    List<HasMetadata> objects = gatewayObjects("watchNamespaces: [a, b]");
    assertThat(all(objects, ClusterRole.class)).isEmpty();
    assertThat(all(objects, Role.class)).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactly("a/fc-operator-gateway", "b/fc-operator-gateway", "fc-system/fc-operator-gateway-peers",
            "fc-system/fc-operator-gateway-discovery");
    Role peers = all(objects, Role.class).stream()
        .filter(r -> r.getMetadata().getName().equals("fc-operator-gateway-peers")).findFirst().orElseThrow();
    assertThat(rules(peers.getRules())).as("the replicas find each other in the release namespace")
        .containsExactly("[] [pods] [list, watch]");
    assertThat(all(objects, RoleBinding.class).stream()
        .filter(b -> b.getMetadata().getName().equals("fc-operator-gateway-peers")).findFirst().orElseThrow()
        .getSubjects()).singleElement().satisfies(s -> {
          assertThat(s.getName()).isEqualTo("fc-operator-gateway");
          assertThat(s.getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
        });
    assertThat(container(one(objects, Deployment.class)).getArgs())
        .contains("--watch-namespace=a", "--watch-namespace=b");
  }

  @Test
  void disabledLeavesNoGatewayAndNoGatewayEnvironment() {
    assertThat(gatewayObjects("gateway: {enabled: false}")).isEmpty();
    assertThat(env(container(one(ChartRenderer.render("gateway: {enabled: false}"), Deployment.class))))
        .doesNotContainKeys("FC_GATEWAY_SELECTOR", "FC_GATEWAY_NAMESPACE", "FC_GATEWAY_ADMIN_PORT");
  }

  @Test
  void valuesAreChecked() {
    assertThat(ChartRenderer.renderError("gateway: {replicas: -1}")).contains("/gateway/replicas");
    assertThat(ChartRenderer.renderError("gateway: {defaultNamespace: Bad_Name}")).contains("/gateway/defaultNamespace");
    assertThat(ChartRenderer.renderError("gateway: {port: 1}")).contains("additional properties 'port' not allowed");
  }
}
