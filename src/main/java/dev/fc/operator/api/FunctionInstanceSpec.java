package dev.fc.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

/** The function's props, named and ranged as in FC's s.yaml (fc3). Defaults live in {@link SpecDefaults}. */
public class FunctionInstanceSpec {
  /** The most instances one FunctionInstance may ask for (render prints, the operator runs, one pod each). */
  public static final int MAX_INSTANCES = 1000;
  /** {@code file.method}: a Python file name (no .py) and a function name. */
  public static final String HANDLER_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$";

  // Kept as text (schema from the enum) so that a bad value never breaks reading the resource list.
  @SchemaFrom(type = FcRuntime.class)
  @Default("python3.10")
  @JsonPropertyDescription("FC runtime name: python3.9, python3.10, python3.12, nodejs18, nodejs20, custom.debian12"
      + " (your command in"
      + " Debian 12, with customRuntimeConfig) or custom-container (your image, with customContainerConfig)."
      + " Default python3.10.")
  private String runtime;

  @Required
  @Pattern(HANDLER_PATTERN)
  @JsonPropertyDescription("The handler as file.method, e.g. index.handler calls handler in /code/index.py.")
  private String handler;

  @SchemaFrom(type = HandlerType.class)
  @Default("event")
  @JsonPropertyDescription("event: handler(event, context) on POST /invoke; http: a WSGI handler on every path.")
  private String handlerType;

  @JsonPropertyDescription("The function's code, at /code: exactly one of inline, configMap or image. Required but"
      + " for custom-container, whose code is its image.")
  private Code code;

  @JsonPropertyDescription("runtime custom-container: the image serving FC's HTTP contract, its command, args and"
      + " port.")
  private CustomContainerConfig customContainerConfig;

  @JsonPropertyDescription("runtime custom.debian12: the command serving FC's HTTP contract, its args and port.")
  private CustomRuntimeConfig customRuntimeConfig;

  @Min(128)
  @Max(32768)
  @Default("512")
  @JsonPropertyDescription("Memory in MiB, 128 to 32768, a multiple of 64: the pod's memory request and limit.")
  private Integer memorySize;

  @Min(0.05)
  @Max(16)
  @Default("0.35")
  @JsonPropertyDescription("vCPUs, 0.05 to 16: the pod's cpu request.")
  private Double cpu;

  @Min(1)
  @Max(86400)
  @Default("3")
  @JsonPropertyDescription("Seconds an invocation may run, 1 to 86400.")
  private Integer timeout;

  @Min(1)
  @Max(200)
  @Default("1")
  @JsonPropertyDescription("Invocations one instance runs at once, 1 to 200.")
  private Integer instanceConcurrency;

  @JsonPropertyDescription("Environment variables, FC style (name to value). Names starting FC_ are reserved.")
  private Map<String, String> environmentVariables;

  @JsonPropertyDescription("Kubernetes environment variables, e.g. from Secrets; added after environmentVariables.")
  private List<EnvVar> env;

  @JsonPropertyDescription("The Initializer and PreStop hooks.")
  private InstanceLifecycleConfig instanceLifecycleConfig;

  @SpecReplicas
  @Min(0)
  @Max(MAX_INSTANCES)
  @Default("1")
  @JsonPropertyDescription("How many instances (pods) to run, 0 to 1000; the scale subresource sets it.")
  private Integer instances;

  // Elastic instances (docs/elastic.md). No CRD default: a FunctionInstance with none of the three keeps
  // spec.instances; with any of them the operator chooses the count from the invocations through the gateway.
  @Min(0)
  @Max(MAX_INSTANCES)
  @JsonPropertyDescription("Elastic: the fewest instances kept, 0 to 1000, even when idle (FC 3.0's minimum number"
      + " of instances). Default 0. Setting minInstances, maxInstances or idleTimeout makes the count elastic and"
      + " spec.instances is then ignored.")
  private Integer minInstances;

  @Min(1)
  @Max(MAX_INSTANCES)
  @JsonPropertyDescription("Elastic: the most instances, 1 to 1000; beyond them invocations wait for a free slot,"
      + " then get ResourceThrottled. Default 100.")
  private Integer maxInstances;

  @Min(1)
  @Max(86400)
  @JsonPropertyDescription("Elastic: seconds an instance may serve nothing before it is deleted (its PreStop runs),"
      + " 1 to 86400. Default 300, as FC's on-demand instances.")
  private Integer idleTimeout;

  public String getRuntime() {
    return runtime;
  }

  public void setRuntime(String runtime) {
    this.runtime = runtime;
  }

  /** The runtime; the spec must have been validated. */
  public FcRuntime runtime() {
    return FcRuntime.fromFcName(runtime);
  }

  public String getHandler() {
    return handler;
  }

  public void setHandler(String handler) {
    this.handler = handler;
  }

  public String getHandlerType() {
    return handlerType;
  }

  public void setHandlerType(String handlerType) {
    this.handlerType = handlerType;
  }

  /** The handler type; the spec must have been validated. */
  public HandlerType handlerType() {
    return HandlerType.fromValue(handlerType);
  }

  public Code getCode() {
    return code;
  }

  public void setCode(Code code) {
    this.code = code;
  }

  public CustomContainerConfig getCustomContainerConfig() {
    return customContainerConfig;
  }

  public void setCustomContainerConfig(CustomContainerConfig customContainerConfig) {
    this.customContainerConfig = customContainerConfig;
  }

  public CustomRuntimeConfig getCustomRuntimeConfig() {
    return customRuntimeConfig;
  }

  public void setCustomRuntimeConfig(CustomRuntimeConfig customRuntimeConfig) {
    this.customRuntimeConfig = customRuntimeConfig;
  }

  public Integer getMemorySize() {
    return memorySize;
  }

  public void setMemorySize(Integer memorySize) {
    this.memorySize = memorySize;
  }

  public Double getCpu() {
    return cpu;
  }

  public void setCpu(Double cpu) {
    this.cpu = cpu;
  }

  public Integer getTimeout() {
    return timeout;
  }

  public void setTimeout(Integer timeout) {
    this.timeout = timeout;
  }

  public Integer getInstanceConcurrency() {
    return instanceConcurrency;
  }

  public void setInstanceConcurrency(Integer instanceConcurrency) {
    this.instanceConcurrency = instanceConcurrency;
  }

  public Map<String, String> getEnvironmentVariables() {
    return environmentVariables;
  }

  public void setEnvironmentVariables(Map<String, String> environmentVariables) {
    this.environmentVariables = environmentVariables;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public InstanceLifecycleConfig getInstanceLifecycleConfig() {
    return instanceLifecycleConfig;
  }

  public void setInstanceLifecycleConfig(InstanceLifecycleConfig instanceLifecycleConfig) {
    this.instanceLifecycleConfig = instanceLifecycleConfig;
  }

  public Integer getInstances() {
    return instances;
  }

  public void setInstances(Integer instances) {
    this.instances = instances;
  }

  public Integer getMinInstances() {
    return minInstances;
  }

  public void setMinInstances(Integer minInstances) {
    this.minInstances = minInstances;
  }

  public Integer getMaxInstances() {
    return maxInstances;
  }

  public void setMaxInstances(Integer maxInstances) {
    this.maxInstances = maxInstances;
  }

  public Integer getIdleTimeout() {
    return idleTimeout;
  }

  public void setIdleTimeout(Integer idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  /** Whether the operator chooses the instance count (any of minInstances, maxInstances, idleTimeout is set). */
  public boolean elastic() {
    return minInstances != null || maxInstances != null || idleTimeout != null;
  }
}
