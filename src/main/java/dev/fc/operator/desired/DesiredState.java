package dev.fc.operator.desired;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one FunctionInstance should own: its ConfigMaps, its Service, and {@code instances} pods
 * made from {@code podTemplate}, whose {@link Labels#TEMPLATE_HASH} label is {@code templateHash}.
 *
 * @param hooks the hooks the spec configures, carried so that the status need not apply the defaults again
 */
public record DesiredState(List<ConfigMap> configMaps, Service service, Pod podTemplate, int instances,
    HooksConfigured hooks) {
  /** The same with another instance count: an elastic function's, which the scaling decision chooses. */
  public DesiredState withInstances(int count) {
    return new DesiredState(configMaps, service, podTemplate, count, hooks);
  }

  public String templateHash() {
    return podTemplate.getMetadata().getLabels().get(Labels.TEMPLATE_HASH);
  }

  /** The objects in the order they are created, one pod per instance: what {@code render} prints. */
  public List<HasMetadata> allObjects() {
    List<HasMetadata> objects = new ArrayList<>(configMaps);
    objects.add(service);
    for (int i = 0; i < instances; i++) {
      objects.add(podTemplate);
    }
    return objects;
  }
}
