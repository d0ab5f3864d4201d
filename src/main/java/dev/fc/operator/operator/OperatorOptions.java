package dev.fc.operator.operator;

import dev.fc.operator.desired.OperatorConfig;
import dev.fc.operator.reconciler.ReconcilerSettings;
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
    boolean serverSideApply) {
  public OperatorOptions {
    namespaces = Set.copyOf(namespaces);
  }

  public static OperatorOptions defaults() {
    return new OperatorOptions(Set.of(), OperatorConfig.defaults(), ReconcilerSettings.defaults(), true);
  }

  public OperatorOptions withServerSideApply(boolean enabled) {
    return new OperatorOptions(namespaces, config, reconcilerSettings, enabled);
  }

  public OperatorOptions withReconcilerSettings(ReconcilerSettings settings) {
    return new OperatorOptions(namespaces, config, settings, serverSideApply);
  }

  public OperatorOptions withNamespaces(Set<String> watched) {
    return new OperatorOptions(watched, config, reconcilerSettings, serverSideApply);
  }
}
