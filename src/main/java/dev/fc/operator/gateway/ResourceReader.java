package dev.fc.operator.gateway;

import dev.fc.operator.api.BackoffStatus;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.HandlerType;
import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.api.SpecDefaults;
import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimePorts;
import dev.fc.operator.contract.TerminationMessage;
import dev.fc.operator.desired.InstanceContainers;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.elastic.ElasticBounds;
import dev.fc.operator.reconciler.InstanceFromPod;
import dev.fc.operator.reconciler.ObservedInstance;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Translates the informers' objects into the directory's: a FunctionInstance, a pod. Pure. */
public final class ResourceReader {
  private ResourceReader() {}

  public static FunctionKey keyOf(FunctionInstance fi) {
    return new FunctionKey(fi.getMetadata().getNamespace(), fi.getMetadata().getName());
  }

  public static RoutedFunction function(FunctionInstance fi) {
    FunctionInstanceSpec spec = SpecDefaults.apply(fi.getSpec() == null ? new FunctionInstanceSpec() : fi.getSpec());
    HandlerType type;
    try {
      type = spec.handlerType();
    } catch (IllegalArgumentException invalid) {
      type = HandlerType.EVENT;
    }
    var initializer = spec.getInstanceLifecycleConfig().getInitializer();
    int maxInstances = ElasticBounds.of(spec).map(ElasticBounds::maxInstances).orElse(SpecDefaults.instances(spec));
    return new RoutedFunction(keyOf(fi), fi.getMetadata().getUid(), type,
        Math.max(1, spec.getInstanceConcurrency()), spec.getTimeout(),
        initializer == null || initializer.getTimeout() == null ? 0 : initializer.getTimeout(),
        maxInstances, backoff(fi.getStatus() == null ? null : fi.getStatus().getBackoff()));
  }

  private static InitializerBackoff backoff(BackoffStatus status) {
    if (status == null) {
      return null;
    }
    Instant notBefore;
    try {
      notBefore = status.getNotBefore() == null ? null : Instant.parse(status.getNotBefore());
    } catch (DateTimeParseException unreadable) {
      notBefore = null;
    }
    return new InitializerBackoff(notBefore, status.getLastFailure(), status.getLastFailurePhase());
  }

  /** The function a pod belongs to by its label, or empty when it has none. */
  public static Optional<FunctionKey> functionOf(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    String name = labels == null ? null : labels.get(Labels.FUNCTION);
    return name == null ? Optional.empty() : Optional.of(new FunctionKey(pod.getMetadata().getNamespace(), name));
  }

  /** Whether the pod is controlled by the FunctionInstance of uid {@code uid}. */
  public static boolean controlledBy(Pod pod, String uid) {
    var refs = pod.getMetadata().getOwnerReferences();
    return uid != null && refs != null && refs.stream()
        .anyMatch(ref -> Boolean.TRUE.equals(ref.getController()) && uid.equals(ref.getUid()));
  }

  public static RoutedInstance instance(Pod pod) {
    ObservedInstance observed = InstanceFromPod.read(pod);
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    String host = ip == null || ip.isEmpty() ? null : ip;
    StartupEndpoint startup = observed.phase() == InstancePhase.Initializing && host != null
        ? lifecycleToken(pod).map(token -> new StartupEndpoint(host, lifecyclePort(pod), token)).orElse(null)
        : null;
    return new RoutedInstance(observed.name(), host, invokePort(pod), observed.ready(), observed.terminating(),
        observed.terminated() ? observed.phase() : null, message(observed.terminationMessage()), startup);
  }

  /**
   * The pod's lifecycle secret: the {@value LifecycleEndpoints#TOKEN_HEADER} header of the function container's
   * startup probe, unless it is the template's placeholder.
   */
  static Optional<String> lifecycleToken(Pod pod) {
    return InstanceContainers.lifecycle(pod)
        .map(Container::getStartupProbe)
        .map(Probe::getHttpGet)
        .map(HTTPGetAction::getHttpHeaders)
        .flatMap(headers -> headers.stream()
            .filter(h -> LifecycleEndpoints.TOKEN_HEADER.equalsIgnoreCase(h.getName()))
            .map(HTTPHeader::getValue)
            .filter(v -> v != null && !v.isEmpty() && !LifecycleEndpoints.TOKEN_PLACEHOLDER.equals(v))
            .findFirst());
  }

  /** The lifecycle container's port named {@value RuntimePorts#LIFECYCLE_NAME}, else {@link RuntimePorts#LIFECYCLE}. */
  static int lifecyclePort(Pod pod) {
    return namedPort(pod, RuntimePorts.LIFECYCLE_NAME).orElse(RuntimePorts.LIFECYCLE);
  }

  private static Optional<Integer> namedPort(Pod pod, String name) {
    return InstanceContainers.lifecycle(pod)
        .filter(c -> c.getPorts() != null)
        .flatMap(c -> c.getPorts().stream()
            .filter(p -> name.equals(p.getName()) && p.getContainerPort() != null)
            .map(ContainerPort::getContainerPort)
            .findFirst());
  }

  /** The lifecycle container's port named {@value RuntimePorts#INVOKE_NAME}, else {@link RuntimePorts#INVOKE}. */
  static int invokePort(Pod pod) {
    return namedPort(pod, RuntimePorts.INVOKE_NAME).orElse(RuntimePorts.INVOKE);
  }

  /** What the runtime said when it ended: its line for humans, else the Initializer's error, else its error. */
  static String message(TerminationMessage message) {
    if (message == null) {
      return null;
    }
    if (message.message() != null && !message.message().isBlank()) {
      return message.message();
    }
    if (message.initializer() != null && message.initializer().getError() != null) {
      return message.initializer().getError();
    }
    return message.error();
  }
}
