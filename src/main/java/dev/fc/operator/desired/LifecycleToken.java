package dev.fc.operator.desired;

import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeEnv;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.HTTPHeaderBuilder;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.Base64;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lifecycle port's secret (docs/runtime-contract.md, "Threat model"): the runtime answers
 * {@code /startup}, {@code /ready} and {@code /pre-stop} only to a request that carries it, and only the
 * kubelet, which reads the pod spec, sends it: the probes in the header
 * {@link LifecycleEndpoints#TOKEN_HEADER}, the preStop hook there and in its path's query ({@code ?token=}), since
 * kubelets before 1.26 send a hook without its headers. The runtime reads it from {@link RuntimeEnv#LIFECYCLE_TOKEN}.
 *
 * <p>Each pod gets its own, random, when it is created ({@link InstancePod}); the template holds
 * {@link LifecycleEndpoints#TOKEN_PLACEHOLDER} in its place, so the template, its hash and {@code render} stay the
 * same from one reconcile to the next. Nothing needs to remember a token: the pod spec carries it to both ends.
 */
public final class LifecycleToken {
  private static final int BYTES = 32;
  /** The token parameter's value in a path's query, whatever it is: the placeholder, or another pod's token. */
  private static final Pattern QUERY_VALUE =
      Pattern.compile("([?&]" + LifecycleEndpoints.TOKEN_QUERY_PARAMETER + "=)[^&#]*");

  private LifecycleToken() {}

  /** 256 random bits, base64url without padding: 43 characters of {@code [A-Za-z0-9_-]}. */
  public static String newToken(RandomGenerator random) {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The header of a probe or hook of the template. */
  static List<HTTPHeader> templateHeaders() {
    return List.of(new HTTPHeaderBuilder()
        .withName(LifecycleEndpoints.TOKEN_HEADER).withValue(LifecycleEndpoints.TOKEN_PLACEHOLDER).build());
  }

  /** The preStop hook's path in the template, its token in the query. */
  static String templatePath(String path) {
    return path + "?" + LifecycleEndpoints.TOKEN_QUERY_PARAMETER + "=" + LifecycleEndpoints.TOKEN_PLACEHOLDER;
  }

  /**
   * A copy of {@code pod} (made from the template) whose containers carry {@code token} wherever the
   * template carries its placeholder; whatever token {@code pod} held there is replaced.
   */
  public static Pod issue(Pod pod, String token) {
    Pod issued = new PodBuilder(pod).build();
    for (Container container : issued.getSpec().getContainers()) {
      for (EnvVar var : container.getEnv()) {
        if (RuntimeEnv.LIFECYCLE_TOKEN.equals(var.getName())) {
          var.setValue(token);
        }
      }
      issue(probeAction(container.getStartupProbe()), token);
      issue(probeAction(container.getReadinessProbe()), token);
      LifecycleHandler preStop = container.getLifecycle() == null ? null : container.getLifecycle().getPreStop();
      issue(preStop == null ? null : preStop.getHttpGet(), token);
    }
    return issued;
  }

  private static HTTPGetAction probeAction(Probe probe) {
    return probe == null ? null : probe.getHttpGet();
  }

  private static void issue(HTTPGetAction action, String token) {
    if (action == null) {
      return;
    }
    for (HTTPHeader header : action.getHttpHeaders()) {
      if (LifecycleEndpoints.TOKEN_HEADER.equalsIgnoreCase(header.getName())) {
        header.setValue(token);
      }
    }
    if (action.getPath() != null) {
      action.setPath(QUERY_VALUE.matcher(action.getPath()).replaceAll("$1" + Matcher.quoteReplacement(token)));
    }
  }
}
