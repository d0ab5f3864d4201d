package dev.fc.operator.local;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's ports on this machine: the pod's own network namespace is gone, so each container
 * port listens on a local port instead, and probes, hooks and the {@code FC_*_PORT} variables follow.
 */
public final class PortMap {
  private final Map<String, Integer> containerPortsByName = new LinkedHashMap<>();
  private final Map<Integer, Integer> localByContainerPort = new LinkedHashMap<>();

  private PortMap() {}

  /**
   * The port named {@code mainPortName} on {@code mainLocalPort} (0: a free one), every other port of
   * the container on a free ephemeral port.
   */
  public static PortMap allocate(Container container, String mainPortName, int mainLocalPort)
      throws LocalInputException {
    return allocate(List.of(container), mainPortName, mainLocalPort);
  }

  /**
   * As {@link #allocate(Container, String, int)} for every port of the pod's containers (a custom runtime's adapter
   * and server), which share the pod's network: the main port is the first container's named {@code mainPortName}.
   */
  public static PortMap allocate(List<Container> containers, String mainPortName, int mainLocalPort)
      throws LocalInputException {
    PortMap map = new PortMap();
    List<ContainerPort> ports = containers.stream().flatMap(c -> c.getPorts().stream()).toList();
    int others = ports.size();
    int[] free = FreePorts.pick(others + 1);
    int nextFree = 0;
    boolean mainTaken = false;
    for (ContainerPort port : ports) {
      if (port.getName() != null) {
        map.containerPortsByName.put(port.getName(), port.getContainerPort());
      }
      int local;
      if (mainPortName.equals(port.getName()) && mainLocalPort != 0 && !mainTaken) {
        local = mainLocalPort;
        mainTaken = true;
      } else {
        local = free[nextFree++];
        if (local == mainLocalPort) {
          local = free[nextFree++];
        }
      }
      map.localByContainerPort.put(port.getContainerPort(), local);
    }
    if (mainLocalPort != 0 && !FreePorts.isFree(mainLocalPort)) {
      throw new LocalInputException("port " + mainLocalPort + " is already in use on this machine: "
          + "choose another with --port (0 picks a free one)");
    }
    return map;
  }

  /** The local port for a container port number; a port the container does not declare maps to itself. */
  public int local(int containerPort) {
    return localByContainerPort.getOrDefault(containerPort, containerPort);
  }

  /** The local port for a probe's or hook's port: a number or the name of one of the container's ports. */
  public int local(IntOrString port) {
    if (port.getIntVal() != null) {
      return local(port.getIntVal());
    }
    Integer number = containerPortsByName.get(port.getStrVal());
    if (number == null) {
      throw new IllegalStateException("the container has no port named " + port.getStrVal());
    }
    return local(number);
  }

  /** Container port to local port, in the container's order. */
  public Map<Integer, Integer> all() {
    return Map.copyOf(localByContainerPort);
  }
}
