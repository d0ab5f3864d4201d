package dev.fc.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the kube tier is fit for the operator's integration tests. */
@ExtendWith(KubeTierExtension.class)
class KubeTierSmokeIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @Test
  void serverIsKubernetes120(KubernetesClient admin) {
    VersionInfo version = admin.getKubernetesVersion();
    assertThat(version.getMajor()).isEqualTo("1");
    assertThat(version.getMinor()).isEqualTo("20");
    assertThat(version.getGitVersion()).isEqualTo("v1.20.2");
  }

  @Test
  void customResourceCanBeDefinedWrittenAndRead(KubeTier tier) {
    KubernetesClient admin = tier.adminClient();
    CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName("widgets.smoke.fc.dev").endMetadata()
        .withNewSpec()
        .withGroup("smoke.fc.dev")
        .withScope("Namespaced")
        .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").endNames()
        .addNewVersion().withName("v1").withServed(true).withStorage(true)
        .withNewSubresources().withNewStatus().endStatus().endSubresources()
        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
        .addToProperties("spec", new io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder()
            .withType("object").withXKubernetesPreserveUnknownFields(true).build())
        .addToProperties("status", new io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder()
            .withType("object").withXKubernetesPreserveUnknownFields(true).build())
        .endOpenAPIV3Schema().endSchema()
        .endVersion()
        .endSpec().build();
    admin.resource(crd).fieldManager("kube-tier-smoke").forceConflicts().serverSideApply();
    admin.apiextensions().v1().customResourceDefinitions().withName("widgets.smoke.fc.dev")
        .waitUntilCondition(c -> c != null && c.getStatus() != null && FcKube.orEmpty(c.getStatus().getConditions()).stream()
            .anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())),
            DEADLINE.toSeconds(), TimeUnit.SECONDS);

    String ns = tier.createNamespace("smoke-crd");
    ResourceDefinitionContext widgets = new ResourceDefinitionContext.Builder()
        .withGroup("smoke.fc.dev").withVersion("v1").withKind("Widget").withPlural("widgets")
        .withNamespaced(true).build();
    GenericKubernetesResource widget = new GenericKubernetesResourceBuilder()
        .withApiVersion("smoke.fc.dev/v1").withKind("Widget")
        .withNewMetadata().withName("w1").withNamespace(ns).endMetadata()
        .addToAdditionalProperties("spec", Map.of("size", 3, "colour", "blue"))
        .build();
    // the first custom-resource write is where the unpatched reflect2 crashes the apiserver
    admin.genericKubernetesResources(widgets).inNamespace(ns).resource(widget).create();
    GenericKubernetesResource read = admin.genericKubernetesResources(widgets).inNamespace(ns)
        .withName("w1").get();
    assertThat(read.<Integer>get("spec", "size")).isEqualTo(3);
    assertThat(read.<String>get("spec", "colour")).isEqualTo("blue");

    read.setAdditionalProperty("status", Map.of("phase", "Ready"));
    admin.genericKubernetesResources(widgets).inNamespace(ns).resource(read).updateStatus();
    assertThat(admin.genericKubernetesResources(widgets).inNamespace(ns).withName("w1").get()
        .<String>get("status", "phase")).isEqualTo("Ready");
  }

  @Test
  void serverSideApplyTracksFieldManagers(KubeTier tier) {
    KubernetesClient admin = tier.adminClient();
    String ns = tier.createNamespace("smoke-ssa");
    ConfigMap first = configMap(ns, "applied", Map.of("a", "1"));
    admin.resource(first).fieldManager("manager-one").serverSideApply();
    ConfigMap second = configMap(ns, "applied", Map.of("b", "2"));
    admin.resource(second).fieldManager("manager-two").serverSideApply();

    ConfigMap live = admin.configMaps().inNamespace(ns).withName("applied").get();
    assertThat(live.getData()).containsEntry("a", "1").containsEntry("b", "2");
    assertThat(live.getMetadata().getManagedFields())
        .extracting(f -> f.getManager() + "/" + f.getOperation())
        .contains("manager-one/Apply", "manager-two/Apply");

    // manager-one drops its field: server-side apply removes it, manager-two's field stays
    admin.resource(configMap(ns, "applied", Map.of())).fieldManager("manager-one").serverSideApply();
    assertThat(admin.configMaps().inNamespace(ns).withName("applied").get().getData())
        .doesNotContainKey("a").containsEntry("b", "2");

    // a conflicting apply is refused without force, accepted with it
    ConfigMap conflicting = configMap(ns, "applied", Map.of("b", "3"));
    assertThatThrownBy(() -> admin.resource(conflicting).fieldManager("manager-one").serverSideApply())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    admin.resource(conflicting).fieldManager("manager-one").forceConflicts().serverSideApply();
    assertThat(admin.configMaps().inNamespace(ns).withName("applied").get().getData()).containsEntry("b", "3");
  }

  @Test
  void dependentsAreGarbageCollected(KubeTier tier) {
    KubernetesClient admin = tier.adminClient();
    String ns = tier.createNamespace("smoke-gc");
    ConfigMap owner = admin.resource(configMap(ns, "owner", Map.of())).create();
    ConfigMap dependent = new ConfigMapBuilder(configMap(ns, "dependent", Map.of()))
        .editMetadata().addNewOwnerReference()
        .withApiVersion("v1").withKind("ConfigMap").withName("owner").withUid(owner.getMetadata().getUid())
        .endOwnerReference().endMetadata().build();
    admin.resource(dependent).create();

    admin.configMaps().inNamespace(ns).withName("owner").delete();

    admin.configMaps().inNamespace(ns).withName("dependent")
        .waitUntilCondition(Objects::isNull, DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void serviceAccountClientIsBoundByRbac(KubeTier tier) {
    KubernetesClient admin = tier.adminClient();
    String ns = tier.createNamespace("smoke-rbac");
    KubernetesClient sa = tier.serviceAccountClient(ns, "smoke-sa");

    assertThatThrownBy(() -> sa.configMaps().inNamespace(ns).list())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

    admin.resource(new RoleBuilder().withNewMetadata().withName("configmaps").withNamespace(ns).endMetadata()
        .addNewRule().withApiGroups("").withResources("configmaps")
        .withVerbs("get", "list", "watch", "create", "patch").endRule()
        .build()).create();
    admin.resource(new RoleBindingBuilder().withNewMetadata().withName("smoke-sa-configmaps")
        .withNamespace(ns).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("configmaps")
        .endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName("smoke-sa").withNamespace(ns).endSubject()
        .build()).create();

    // the authorizer learns about the binding through its informers: poll, bounded
    tier.await("RBAC grant to reach the authorizer", DEADLINE, () -> {
      try {
        sa.configMaps().inNamespace(ns).list();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 403) {
          return false;
        }
        throw e;
      }
    });
    ConfigMap applied = sa.resource(configMap(ns, "by-sa", Map.of("k", "v")))
        .fieldManager("smoke-sa").serverSideApply();
    assertThat(applied.getData()).containsEntry("k", "v");
    // still nothing beyond the grant
    assertThatThrownBy(() -> sa.secrets().inNamespace(ns).list())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThatThrownBy(() -> sa.configMaps().inNamespace(ns).withName("by-sa").delete())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  private static ConfigMap configMap(String ns, String name, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withData(data).build();
  }
}
