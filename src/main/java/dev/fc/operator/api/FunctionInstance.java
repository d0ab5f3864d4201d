package dev.fc.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One function, run as {@code spec.instances} pods with FC's Initializer and PreStop hooks. */
@Group(FunctionInstance.GROUP)
@Version(FunctionInstance.VERSION)
@ShortNames("fi")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Runtime", jsonPath = ".spec.runtime", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Handler", jsonPath = ".spec.handler", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Scaling", jsonPath = ".status.scaling.reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class FunctionInstance extends CustomResource<FunctionInstanceSpec, FunctionInstanceStatus> implements Namespaced {
  public static final String GROUP = "fc.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "FunctionInstance";
}
