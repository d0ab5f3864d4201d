package dev.fc.operator.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders helm/fc-operator with Helm itself (helm-java bundles Helm as a native library, offline), as
 * {@code helm template RELEASE helm/fc-operator --namespace NAMESPACE -f VALUES} would. Public for the
 * integration tests, which run the operator with the chart's RBAC.
 */
public final class ChartRenderer {
  static final Path CHART = Path.of("helm/fc-operator");
  /** The release name and namespace that deploy/ is rendered with. */
  static final String RELEASE = "fc-operator";
  static final String NAMESPACE = "fc-system";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ChartRenderer() {}

  static Helm helm() {
    return new Helm(CHART);
  }

  /** The rendered text for the given values (YAML documents, each a values file); throws on Helm errors. */
  public static String renderRelease(String release, String namespace, String... values) {
    List<Path> files = new java.util.ArrayList<>();
    try {
      TemplateCommand template = helm().template().withName(release).withNamespace(namespace);
      for (String v : values) {
        Path file = Files.createTempFile("fc-operator-values", ".yaml");
        files.add(file);
        Files.writeString(file, v);
        template = template.withValuesFile(file);
      }
      return template.call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      files.forEach(f -> f.toFile().delete());
    }
  }

  static String renderText(String... values) {
    return renderRelease(RELEASE, NAMESPACE, values);
  }

  static List<HasMetadata> render(String... values) {
    return parse(renderText(values));
  }

  /** The message of Helm's failure to render the given values. */
  static String renderError(String... values) {
    try {
      renderText(values);
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
    throw new AssertionError("rendering succeeded with values " + String.join("\n---\n", values));
  }

  @SuppressWarnings("unchecked")
  public static List<HasMetadata> parse(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(yaml);
    if (parsed instanceof List<?> list) {
      return (List<HasMetadata>) list;
    }
    return parsed == null ? List.of() : List.of((HasMetadata) parsed);
  }
}
