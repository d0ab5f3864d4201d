package dev.fc.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeContainer;
import dev.fc.operator.contract.RuntimeEnv;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle port's secret in the pod (docs/runtime-contract.md, "Threat model"): the template holds a
 * placeholder wherever the kubelet sends the secret and the runtime reads it, so the template and its hash do
 * not change from one render or reconcile to the next; each pod gets its own secret when it is issued, and
 * nothing else changes.
 */
class LifecycleTokenTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private final DesiredStateBuilder builder = Fixtures.builder();

  private static Container function(Pod pod) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> RuntimeContainer.NAME.equals(c.getName())).findFirst().orElseThrow();
  }

  /** The secret wherever the pod carries it: env, the probes' and the hook's headers, the hook's query. */
  private static List<String> carried(Pod pod) {
    Container c = function(pod);
    HTTPGetAction hook = c.getLifecycle().getPreStop().getHttpGet();
    String query = hook.getPath().substring(hook.getPath().indexOf("?token=") + "?token=".length());
    return List.of(
        c.getEnv().stream().filter(e -> RuntimeEnv.LIFECYCLE_TOKEN.equals(e.getName())).map(EnvVar::getValue)
            .reduce((a, b) -> a + "," + b).orElseThrow(),
        header(c.getStartupProbe().getHttpGet()),
        header(c.getReadinessProbe().getHttpGet()),
        header(hook),
        query);
  }

  private static String header(HTTPGetAction action) {
    return action.getHttpHeaders().stream().filter(h -> LifecycleEndpoints.TOKEN_HEADER.equals(h.getName()))
        .map(HTTPHeader::getValue).reduce((a, b) -> a + "," + b).orElseThrow();
  }

  @Test
  void theTemplateHoldsThePlaceholderWhereverTheKubeletSendsTheSecretAndTheRuntimeReadsIt() {
    Pod template = builder.build(Fixtures.function("emoji")).podTemplate();
    assertThat(carried(template)).containsOnly(LifecycleEndpoints.TOKEN_PLACEHOLDER).hasSize(5);
    HTTPGetAction hook = function(template).getLifecycle().getPreStop().getHttpGet();
    assertThat(hook.getPath()).isEqualTo("/pre-stop?token=" + LifecycleEndpoints.TOKEN_PLACEHOLDER);
    assertThat(function(template).getCommand()).containsExactly("python3", "-I", "/var/fc/runtime/bootstrap.py");
  }

  @Test
  void theTemplateAndItsHashStayTheSameFromOneBuildToTheNext() {
    DesiredState first = builder.build(Fixtures.function("emoji"));
    DesiredState second = builder.build(Fixtures.function("emoji"));
    assertThat(SERIALIZATION.asYaml(second.podTemplate())).isEqualTo(SERIALIZATION.asYaml(first.podTemplate()));
    assertThat(second.templateHash()).isEqualTo(first.templateHash());
  }

  @Test
  void eachIssuedPodCarriesASecretOfItsOwnEverywhereAndNothingElseChanges() {
    DesiredState desired = builder.build(Fixtures.function("emoji"));
    Pod template = desired.podTemplate();
    String templateYaml = SERIALIZATION.asYaml(template);
    SecureRandom random = new SecureRandom();
    Set<String> tokens = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      Pod pod = InstancePod.issue(template, random);
      List<String> carried = carried(pod);
      String token = carried.get(0);
      assertThat(carried).as("one secret in all five places").containsOnly(token);
      assertThat(token).matches("[A-Za-z0-9_-]{43}");
      tokens.add(token);
      names.add(pod.getMetadata().getName());
      assertThat(pod.getMetadata().getName()).matches(template.getMetadata().getGenerateName()
          + "[bcdfghjklmnpqrstvwxz2456789]{5}");
      assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.TEMPLATE_HASH, desired.templateHash());
      String yaml = SERIALIZATION.asYaml(pod);
      assertThat(yaml).doesNotContain(LifecycleEndpoints.TOKEN_PLACEHOLDER);
      // the same pod as the template but for its name and its secret
      Pod back = LifecycleToken.issue(pod, LifecycleEndpoints.TOKEN_PLACEHOLDER);
      back.getMetadata().setName(null);
      back.getMetadata().setGenerateName(template.getMetadata().getGenerateName());
      assertThat(SERIALIZATION.asYaml(back)).isEqualTo(templateYaml);
    }
    assertThat(tokens).hasSize(50);
    assertThat(names.size()).isGreaterThan(40);
    assertThat(SERIALIZATION.asYaml(template)).as("the template itself is left as it was").isEqualTo(templateYaml);
  }
}
