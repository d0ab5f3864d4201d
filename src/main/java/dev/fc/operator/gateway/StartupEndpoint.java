package dev.fc.operator.gateway;

import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.elastic.PodAddress;
import java.net.URI;

/**
 * Where an initializing instance tells when its Initializer has ended: its lifecycle port's
 * {@link LifecycleEndpoints#STARTUP}, and the pod's secret that the port requires (docs/runtime-contract.md,
 * "Threat model"). The secret goes to this address only, and {@link #toString()} never shows it.
 *
 * @param host the pod's IP
 * @param port the function container's port named {@code lifecycle}
 * @param token the pod's lifecycle secret, from its startup probe's header
 */
public record StartupEndpoint(String host, int port, String token) {

  public StartupEndpoint {
    if (host == null || host.isEmpty() || token == null || token.isEmpty()) {
      throw new IllegalArgumentException("a startup endpoint needs the pod's IP and its lifecycle token");
    }
  }

  public URI uri() {
    return URI.create("http://" + PodAddress.authority(host, port) + LifecycleEndpoints.STARTUP);
  }

  /** The address, the token redacted. */
  @Override
  public String toString() {
    return "StartupEndpoint[" + uri() + ", token=<redacted>]";
  }
}
