package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.ScalingStatus;
import dev.fc.operator.elastic.DemandSource;
import dev.fc.operator.elastic.ElasticBounds;
import dev.fc.operator.elastic.InstanceView;
import dev.fc.operator.elastic.ScalingDecider;
import dev.fc.operator.elastic.ScalingDecision;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The reconciler's side of elastic instances: an elastic FunctionInstance's observed instances and last
 * {@code status.scaling} into {@link ScalingDecider}'s input, and its decision into the status. The count lives in
 * the status, not in {@code spec.instances}, so {@code kubectl apply} of the same file never fights it and a
 * restarted operator starts from it.
 */
final class ElasticScaling {
  private ElasticScaling() {}

  /**
   * @param previousDesired the count before this decision, or null
   * @param status {@code status.scaling} from now on: the previous one unless the count changed
   */
  record Outcome(ScalingDecision decision, Integer previousDesired, ScalingStatus status) {}

  /** The decision for {@code fi}, or null when its count is not elastic. The spec must be valid. */
  static Outcome decide(FunctionInstance fi, FunctionInstanceStatus previous, List<ObservedInstance> observed,
      DemandSource demand, Instant now) {
    Optional<ElasticBounds> bounds = ElasticBounds.of(fi.getSpec());
    if (bounds.isEmpty()) {
      return null;
    }
    ScalingStatus before = previous == null ? null : previous.getScaling();
    Integer previousDesired = before == null ? null : before.getDesiredInstances();
    List<InstanceView> live = observed.stream().filter(ObservedInstance::live)
        .map(i -> new InstanceView(i.name(), i.ready(), i.readySince())).toList();
    ScalingDecision decision = ScalingDecider.decide(bounds.get(), previousDesired, live,
        demand.demandOf(fi.getMetadata().getNamespace(), fi.getMetadata().getName()), now);
    ScalingStatus status = decision.changed()
        ? new ScalingStatus(decision.desired(), decision.reason().name(), decision.message(), now.toString())
        : before;
    return new Outcome(decision, previousDesired, status);
  }
}
