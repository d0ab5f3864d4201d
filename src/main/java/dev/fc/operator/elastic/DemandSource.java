package dev.fc.operator.elastic;

/** Where the reconciler reads a function's demand: the gateways' latest reports, merged. */
@FunctionalInterface
public interface DemandSource {
  /** No gateway: nothing is known, so elastic counts rise only to minInstances and nothing is reclaimed. */
  DemandSource NONE = (namespace, name) -> FunctionDemand.UNKNOWN;

  FunctionDemand demandOf(String namespace, String name);
}
