package dev.fc.operator.api.crd;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Build step (run by Maven in {@code process-classes}): generates the FunctionInstance CRD with fabric8's
 * crd-generator into the folder given as the only argument.
 *
 * <p>fabric8's generator sorts printer columns by JSON path, which would put AGE first; the
 * post-processor restores the order in which {@link FunctionInstance} declares them (READY, RUNTIME,
 * HANDLER, STATUS, AGE), the order {@code kubectl get fi} shows.
 */
public final class GenerateCrd {
  private GenerateCrd() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: GenerateCrd OUTPUT_DIR");
    }
    File out = new File(args[0]);
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    new CRDGenerator()
        .inOutputDir(out)
        .forCRDVersions("v1")
        .customResourceClasses(FunctionInstance.class)
        .withPostProcessor(new CRDPostProcessor() {
          @Override
          public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            return orderPrinterColumns(crd);
          }
        })
        .generate();
  }

  static HasMetadata orderPrinterColumns(HasMetadata crd) {
    if (crd instanceof CustomResourceDefinition definition) {
      List<String> declared = Arrays.stream(FunctionInstance.class.getAnnotationsByType(AdditionalPrinterColumn.class))
          .map(AdditionalPrinterColumn::name)
          .toList();
      definition.getSpec().getVersions().forEach(version -> {
        if (version.getAdditionalPrinterColumns() != null) {
          version.getAdditionalPrinterColumns()
              .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
        }
      });
    }
    return crd;
  }
}
