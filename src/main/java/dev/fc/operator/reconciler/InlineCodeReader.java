package dev.fc.operator.reconciler;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.InlineCodeDigest;
import dev.fc.operator.desired.ConfigMapFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * The inline code's files, read from the API when their ConfigMap must be written: the cache keeps only their digest.
 * One GET per code ConfigMap written, never on a reconcile with nothing to write.
 */
public class InlineCodeReader {
  private final KubernetesClient client;

  public InlineCodeReader(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The code ConfigMap {@code desired} (made from a digest) with its data, or empty when the FunctionInstance is gone
   * or its code changed since the cache saw it: then a newer event reconciles it again.
   */
  public Optional<ConfigMap> withData(FunctionInstance cached, ConfigMap desired) {
    FunctionInstance current = client.resources(FunctionInstance.class)
        .inNamespace(cached.getMetadata().getNamespace()).withName(cached.getMetadata().getName()).get();
    boolean same = current != null && current.getMetadata().getUid().equals(cached.getMetadata().getUid());
    Code code = !same || current.getSpec() == null ? null : current.getSpec().getCode();
    Map<String, String> files = code == null ? null : code.getInline();
    if (files == null || !ConfigMapFactory.inlineCodeName(cached.getMetadata().getName(), InlineCodeDigest.of(files))
        .equals(desired.getMetadata().getName())) {
      return Optional.empty();
    }
    return Optional.of(ConfigMapFactory.inlineCode(cached, files));
  }
}
