package dev.fc.operator.manager;

import dev.fc.operator.desired.InstanceSettings;
import dev.fc.operator.reconciler.ReconcilerSettings;
import java.util.Optional;
import java.util.Set;

/**
 * The manager layer's settings, how to run the operator: which namespaces it watches, with which
 * {@link InstanceSettings} and {@link ReconcilerSettings}, how it writes status, and leader election.
 *
 * @param namespaces the namespaces to watch; empty means all
 * @param serverSideApply whether status is written with server-side apply. True in production; the
 *     kubernetes-server-mock has no server-side apply (it answers 404), so the mock tests turn it off and
 *     java-operator-sdk writes status with a JSON merge patch instead. Every other write of the operator
 *     (create, JSON patch, delete) is the same in both modes.
 */
public record ManagerSettings(Set<String> namespaces, InstanceSettings config, ReconcilerSettings reconcilerSettings,
    boolean serverSideApply, Optional<LeaderElection> leaderElection, Optional<Gateways> gateways) {
  public ManagerSettings {
    namespaces = Set.copyOf(namespaces);
  }

  /**
   * Only the replica holding the Lease reconciles; the others wait.
   *
   * @param namespace where the Lease lives; empty means the namespace of the client's configuration
   * @param exitOnLoss losing the Lease (or stopping) ends the process, so Kubernetes restarts it as a
   *     standby, never as a second leader. True for {@code run}; in-process tests turn it off.
   */
  public record LeaderElection(String leaseName, Optional<String> namespace, boolean exitOnLoss) {}

  /**
   * Where the gateway replicas are, whose demand reports drive elastic functions (docs/elastic.md).
   *
   * @param namespace their namespace
   * @param selector the label selector of their pods
   * @param adminPort the port of their {@code GET /demand}
   */
  public record Gateways(String namespace, String selector, int adminPort) {}

  public static ManagerSettings defaults() {
    return new ManagerSettings(Set.of(), InstanceSettings.defaults(), ReconcilerSettings.defaults(), true,
        Optional.empty(), Optional.empty());
  }

  public ManagerSettings withGateways(Gateways where) {
    return new ManagerSettings(namespaces, config, reconcilerSettings, serverSideApply, leaderElection,
        Optional.of(where));
  }

  public ManagerSettings withServerSideApply(boolean enabled) {
    return new ManagerSettings(namespaces, config, reconcilerSettings, enabled, leaderElection, gateways);
  }

  public ManagerSettings withReconcilerSettings(ReconcilerSettings settings) {
    return new ManagerSettings(namespaces, config, settings, serverSideApply, leaderElection, gateways);
  }

  public ManagerSettings withNamespaces(Set<String> watched) {
    return new ManagerSettings(watched, config, reconcilerSettings, serverSideApply, leaderElection, gateways);
  }

  public ManagerSettings withConfig(InstanceSettings operatorConfig) {
    return new ManagerSettings(namespaces, operatorConfig, reconcilerSettings, serverSideApply, leaderElection, gateways);
  }

  public ManagerSettings withLeaderElection(LeaderElection election) {
    return new ManagerSettings(namespaces, config, reconcilerSettings, serverSideApply, Optional.of(election), gateways);
  }
}
