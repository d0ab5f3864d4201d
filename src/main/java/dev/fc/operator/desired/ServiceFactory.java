package dev.fc.operator.desired;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.contract.RuntimePorts;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The function's Service: the invocation port only, never the lifecycle port. */
public final class ServiceFactory {
  private ServiceFactory() {}

  public static Service service(FunctionInstance fi) {
    String name = fi.getMetadata().getName();
    return new ServiceBuilder()
        .withMetadata(Owners.ownedMetadata(fi, name, Labels.owned(name, Labels.Components.SERVICE)))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.instanceSelector(name))
        .addNewPort()
        .withName(RuntimePorts.INVOKE_NAME)
        .withProtocol("TCP")
        .withPort(RuntimePorts.INVOKE)
        .withTargetPort(new IntOrString(RuntimePorts.INVOKE_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
