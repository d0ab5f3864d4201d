package dev.fc.operator.desired;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labels that tie owned objects to their FunctionInstance, and the pods to their template. */
public final class Labels {
  public static final String FUNCTION = "fc.dev/function";
  public static final String TEMPLATE_HASH = "fc.dev/template-hash";
  public static final String COMPONENT = "fc.dev/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "fc-operator";

  private Labels() {}

  /** Labels of every object the operator creates for the function {@code name}. */
  public static Map<String, String> owned(String functionName, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(FUNCTION, functionName);
    labels.put(COMPONENT, component);
    labels.put(MANAGED_BY, MANAGER);
    return labels;
  }

  /** Labels of a shared runtime ConfigMap: the operator's, of the runtime's component, no one function's. */
  public static Map<String, String> sharedRuntime() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(COMPONENT, Components.RUNTIME);
    labels.put(MANAGED_BY, MANAGER);
    return labels;
  }

  /** The label selector of the function's instances, as {@code status.selector} and the Service use it. */
  public static Map<String, String> instanceSelector(String functionName) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(FUNCTION, functionName);
    selector.put(COMPONENT, Components.INSTANCE);
    return selector;
  }

  public static String instanceSelectorString(String functionName) {
    return FUNCTION + "=" + functionName + "," + COMPONENT + "=" + Components.INSTANCE;
  }

  /** Values of {@link #COMPONENT}. */
  public static final class Components {
    public static final String INSTANCE = "instance";
    public static final String RUNTIME = "runtime";
    public static final String CODE = "code";
    public static final String SERVICE = "service";

    private Components() {}
  }
}
