package dev.fc.operator.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * {@code @ExtendWith(KubeTierExtension.class)}: starts the JVM-wide {@link KubeTier#shared()} before
 * the class's tests, fails a test at once if a component has crashed, injects {@link KubeTier} or the admin {@link KubernetesClient} as parameters,
 * and prints the tails of the component logs when a test fails.
 */
public final class KubeTierExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver, TestWatcher {

  @Override
  public void beforeAll(ExtensionContext context) {
    KubeTier.shared();
  }

  /** Fails fast (instead of through client timeouts) once a component has crashed. */
  @Override
  public void beforeEach(ExtensionContext context) {
    KubeTier.shared().checkRunning();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubeTier.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KubeTier tier = KubeTier.shared();
    return parameter.getParameter().getType() == KubeTier.class ? tier : tier.adminClient();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    KubeTier tier = KubeTier.sharedIfStarted();
    if (tier != null) {
      System.err.println("kube-tier: " + context.getDisplayName() + " failed; component logs:\n"
          + tier.logTails());
    }
  }
}
