package dev.fc.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRD on a real API server: it is accepted and served, {@code kubectl get} shows its printer
 * columns, the scale subresource drives {@code spec.instances}, defaults are filled in, and the schema
 * refuses bad FunctionInstances with HTTP 422 naming the field. No operator runs here.
 */
@ExtendWith(KubeTierExtension.class)
class FunctionInstanceCrdIT {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  /** A valid FunctionInstance with every field of the spec set, as a user would kubectl-apply it. */
  private static final String VALID = """
      apiVersion: fc.dev/v1alpha1
      kind: FunctionInstance
      metadata:
        name: NAME
      spec:
        runtime: python3.10
        handler: index.handler
        handlerType: event
        memorySize: 512
        cpu: 0.35
        timeout: 3
        instanceConcurrency: 1
        instances: 1
        code:
          inline:
            index.py: |
              def handler(event, context):
                  return event
        instanceLifecycleConfig:
          initializer: {handler: index.initialize, timeout: 10}
          preStop: {handler: index.pre_stop, timeout: 10}
      """;
  private static final Object ABSENT = new Object();

  private static String namespace;

  @BeforeAll
  static void crd(KubeTier tier) {
    FcKube.installCrd(tier.adminClient());
    namespace = tier.createNamespace("crd");
  }

  @Test
  void theCrdIsAcceptedAndServed(KubernetesClient admin) {
    CustomResourceDefinition crd = FcKube.installCrd(admin);
    assertThat(crd.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
        .contains("Established=True", "NamesAccepted=True")
        .doesNotContain("NonStructuralSchema=True");
    assertThat(crd.getStatus().getAcceptedNames().getShortNames()).containsExactly("fi");
    assertThat(admin.getApiResources("fc.dev/v1alpha1").getResources())
        .extracting(r -> r.getName())
        .containsExactlyInAnyOrder("functioninstances", "functioninstances/status", "functioninstances/scale");
  }

  @Test
  void theServerFillsInTheDefaults(KubernetesClient admin) {
    GenericKubernetesResource minimal = parse("""
        apiVersion: fc.dev/v1alpha1
        kind: FunctionInstance
        metadata:
          name: minimal
        spec:
          handler: index.handler
          code:
            configMap: my-code
          instanceLifecycleConfig:
            initializer: {handler: index.initialize}
        """);
    FunctionInstance created = JSON.convertValue(generic(admin).resource(minimal).create(), FunctionInstance.class);
    var spec = created.getSpec();
    assertThat(spec.getRuntime()).isEqualTo("python3.10");
    assertThat(spec.getHandlerType()).isEqualTo("event");
    assertThat(spec.getMemorySize()).isEqualTo(512);
    assertThat(spec.getCpu()).isEqualTo(0.35);
    assertThat(spec.getTimeout()).isEqualTo(3);
    assertThat(spec.getInstanceConcurrency()).isEqualTo(1);
    assertThat(spec.getInstances()).isEqualTo(1);
    assertThat(spec.getInstanceLifecycleConfig().getInitializer().getTimeout()).isEqualTo(3);
    assertThat(spec.getInstanceLifecycleConfig().getPreStop()).isNull();
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubectlGetShowsThePrinterColumns(KubernetesClient admin) throws Exception {
    FunctionInstance fi = admin.resource(FcKube.function(namespace, "columns", 2)).create();
    FunctionInstanceStatus status = new FunctionInstanceStatus();
    status.setReady("1/2");
    status.setConditions(List.of(condition("Ready", "False", "Initializing"),
        condition("Progressing", "True", "Scaling")));
    fi.setStatus(status);
    admin.resource(fi).updateStatus();

    // what `kubectl get fi` asks for: the server renders the CRD's additionalPrinterColumns into a Table
    URL url = new URL(admin.getMasterUrl(), "apis/fc.dev/v1alpha1/namespaces/" + namespace
        + "/functioninstances/columns");
    HttpRequest request = admin.getHttpClient().newHttpRequestBuilder().url(url)
        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").build();
    HttpResponse<String> response = admin.getHttpClient().sendAsync(request, String.class).get();
    assertThat(response.code()).as(response.body()).isEqualTo(200);
    Map<String, Object> table = JSON.unmarshal(response.body(), Map.class);
    assertThat(table).containsEntry("kind", "Table");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> columns = (List<Map<String, Object>>) table.get("columnDefinitions");
    assertThat(columns).extracting(c -> c.get("name"))
        .containsExactly("Name", "Ready", "Runtime", "Handler", "Status", "Scaling", "Age");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) table.get("rows");
    assertThat(rows).singleElement().satisfies(row -> assertThat((List<Object>) row.get("cells")).startsWith(
        "columns", "1/2", "python3.10", "index.handler", "Initializing"));
  }

  @Test
  void theScaleSubresourceSetsSpecInstances(KubernetesClient admin) {
    FunctionInstance fi = admin.resource(FcKube.function(namespace, "scaled", 1)).create();
    FunctionInstanceStatus status = new FunctionInstanceStatus();
    status.setInstances(1);
    status.setSelector(Labels.instanceSelectorString("scaled"));
    fi.setStatus(status);
    admin.resource(fi).updateStatus();

    FcKube.fi(admin, namespace, "scaled").scale(3); // what `kubectl scale fi/scaled --replicas=3` does
    assertThat(FcKube.fi(admin, namespace, "scaled").get().getSpec().getInstances()).isEqualTo(3);

    Scale scale = FcKube.fi(admin, namespace, "scaled").scale(); // what an HPA reads
    assertThat(scale.getSpec().getReplicas()).isEqualTo(3);
    assertThat(scale.getStatus().getReplicas()).isEqualTo(1);
    assertThat(scale.getStatus().getSelector()).isEqualTo("fc.dev/function=scaled,fc.dev/component=instance");
  }

  @Test
  void theValidFunctionInstanceOfTheTableIsAccepted(KubernetesClient admin) {
    GenericKubernetesResource valid = parse(VALID.replace("NAME", "valid"));
    assertThat(generic(admin).resource(valid).create().getMetadata().getUid()).isNotBlank();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        refused("runtime python3.8", "spec.runtime", "python3.8", "Unsupported value", "supported values"),
        refused("handler without a method", "spec.handler", "index", "should match"),
        refused("memorySize below 128", "spec.memorySize", 64, "greater than or equal to 128"),
        refused("memorySize above 32768", "spec.memorySize", 40000, "less than or equal to 32768"),
        refused("memorySize as a quantity", "spec.memorySize", "512Mi", "must be of type integer"),
        refused("cpu below 0.05", "spec.cpu", 0.01, "greater than or equal to 0.05"),
        refused("cpu above 16", "spec.cpu", 17, "less than or equal to 16"),
        refused("timeout 0", "spec.timeout", 0, "greater than or equal to 1"),
        refused("timeout above a day", "spec.timeout", 86401, "less than or equal to 86400"),
        refused("instanceConcurrency above 200", "spec.instanceConcurrency", 201, "less than or equal to 200"),
        refused("instanceConcurrency 0", "spec.instanceConcurrency", 0, "greater than or equal to 1"),
        refused("negative instances", "spec.instances", -1, "greater than or equal to 0"),
        refused("initializer timeout 0", "spec.instanceLifecycleConfig.initializer.timeout", 0,
            "greater than or equal to 1"),
        refused("preStop timeout above a day", "spec.instanceLifecycleConfig.preStop.timeout", 86401,
            "less than or equal to 86400"),
        refused("initializer without handler", "spec.instanceLifecycleConfig.initializer.handler", ABSENT,
            "Required value"),
        refused("preStop handler not file.method", "spec.instanceLifecycleConfig.preStop.handler", "pre_stop",
            "should match"),
        refused("missing handler", "spec.handler", ABSENT, "Required value"),
        // spec.code is not required by the schema (a custom container has none): SpecValidator names it for the
        // runtimes that load code (CustomRuntimeValidationTest, SpecValidatorTest)
        refused("code ConfigMap with an invalid name", "spec.code.configMap", "My_Code", "should match"),
        refused("handlerType grpc", "spec.handlerType", "grpc", "Unsupported value", "supported values"));
  }

  private static Arguments refused(String description, String field, Object value, String... message) {
    return Arguments.of(description, field, value, List.of(message));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void theSchemaRefusesIt(String description, String field, Object value, List<String> message, KubeTier tier) {
    KubernetesClient admin = tier.adminClient();
    String name = "bad-" + Integer.toHexString(description.hashCode());
    GenericKubernetesResource bad = parse(VALID.replace("NAME", name));
    set(bad.getAdditionalProperties(), field, value);

    assertThatThrownBy(() -> generic(admin).resource(bad).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
          assertThat(e.getMessage()).contains(field + ":").contains(message);
          // complaints about that field alone (the scale subresource's check of spec.instances adds
          // one, on ".spec.instances")
          assertThat(e.getStatus().getDetails().getCauses()).as(e.getMessage()).extracting(StatusCause::getField)
              .map(f -> f.replaceFirst("^\\.", "")).isNotEmpty().containsOnly(field);
        });
    assertThat(generic(admin).withName(name).get()).isNull();
  }

  // ---- helpers ----

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
      io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> generic(KubernetesClient admin) {
    return admin.genericKubernetesResources(FcKube.FUNCTION_INSTANCES).inNamespace(namespace);
  }

  private static GenericKubernetesResource parse(String yaml) {
    GenericKubernetesResource resource = JSON.unmarshal(yaml, GenericKubernetesResource.class);
    resource.getMetadata().setNamespace(namespace);
    return resource;
  }

  /** Sets (or, for {@link #ABSENT}, removes) the field at a dotted path in the raw object. */
  @SuppressWarnings("unchecked")
  private static void set(Map<String, Object> object, String path, Object value) {
    String[] keys = path.split("\\.");
    Map<String, Object> map = object;
    for (int i = 0; i < keys.length - 1; i++) {
      Object next = map.get(keys[i]);
      if (!(next instanceof Map)) {
        next = new LinkedHashMap<String, Object>();
        map.put(keys[i], next);
      }
      map = (Map<String, Object>) next;
    }
    String last = keys[keys.length - 1];
    if (value == ABSENT) {
      assertThat(map).containsKey(last);
      map.remove(last);
    } else {
      map.put(last, value);
    }
  }

  private static Condition condition(String type, String status, String reason) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(reason)
        .withLastTransitionTime("2026-01-01T00:00:00Z").build();
  }
}
