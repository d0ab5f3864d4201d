package dev.fc.operator.elastic;

import java.time.Instant;
import java.util.Map;

/**
 * One function's demand merged over the gateway replicas, as the operator's leader last heard it
 * ({@link DemandMerger}).
 *
 * @param inFlight invocations running on an instance, summed over the replicas
 * @param queued invocations held for a free slot, summed over the replicas
 * @param pods per instance (pod name): its invocations in flight, summed, and its last activity, the latest any
 *     replica saw; an instance no replica routed to is absent
 * @param complete every gateway replica answered lately: only then may an idle instance be reclaimed, since an
 *     instance one silent replica is using would look idle
 */
public record FunctionDemand(int inFlight, int queued, Map<String, PodActivity> pods, boolean complete) {
  /** No demand heard, from no gateway: scale-up has nothing to go on and nothing is reclaimed. */
  public static final FunctionDemand UNKNOWN = new FunctionDemand(0, 0, Map.of(), false);

  public FunctionDemand {
    pods = Map.copyOf(pods);
  }

  /** Invocations that want a slot: in flight plus held. */
  public int invocations() {
    return inFlight + queued;
  }

  /**
   * @param inFlight invocations in flight on it, over the replicas
   * @param lastActive when a replica last had an invocation in flight on it (now, while one is)
   */
  public record PodActivity(int inFlight, Instant lastActive) {}
}
