package dev.fc.operator.operator;

import dev.fc.operator.desired.OperatorConfig;
import dev.fc.operator.reconciler.ReconcilerSettings;
import java.util.Optional;
import java.util.Set;

/**
 * How to run the operator.
 *
 * @param namespaces the namespaces to watch; empty means all
 * @param serverSideApply whether status is written with server-side apply. True in production; the
 *     kubernetes-server-mock has no server-side apply (it answers 404), so the mock tests turn it off and
 *     java-operator-sdk writes status with a JSON merge patch instead. Every other write of the operator
 *     (create, JSON patch, delete) is the same in both modes.
 */
public record OperatorOptions(Set<String> namespaces, OperatorConfig config, ReconcilerSettings reconcilerSettings,
    boolean serverSideApply, Optional<LeaderElection> leaderElection) {
  public OperatorOptions {
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

  public static OperatorOptions defaults() {
    return new OperatorOptions(Set.of(), OperatorConfig.defaults(), ReconcilerSettings.defaults(), true,
        Optional.empty());
  }

  public OperatorOptions withServerSideApply(boolean enabled) {
    return new OperatorOptions(namespaces, config, reconcilerSettings, enabled, leaderElection);
  }

  public OperatorOptions withReconcilerSettings(ReconcilerSettings settings) {
    return new OperatorOptions(namespaces, config, settings, serverSideApply, leaderElection);
  }

  public OperatorOptions withNamespaces(Set<String> watched) {
    return new OperatorOptions(watched, config, reconcilerSettings, serverSideApply, leaderElection);
  }

  public OperatorOptions withConfig(OperatorConfig operatorConfig) {
    return new OperatorOptions(namespaces, operatorConfig, reconcilerSettings, serverSideApply, leaderElection);
  }

  public OperatorOptions withLeaderElection(LeaderElection election) {
    return new OperatorOptions(namespaces, config, reconcilerSettings, serverSideApply, Optional.of(election));
  }
}
