package dev.fc.operator.elastic;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one gateway replica tells the operator's leader about demand (docs/elastic.md, "Demand"): the JSON of
 * {@code GET /demand} on the gateway's admin port. It is a full snapshot, not a delta, so a lost answer loses
 * nothing.
 *
 * @param gateway the replica's name (its pod name), to merge the replicas' reports
 * @param version bumps on every change of the numbers below; {@code GET /demand?after=V} waits for a newer one
 * @param functions every function this replica holds or routes invocations for, or routed to since it started
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DemandReport(String gateway, long version, List<FunctionDemand> functions) {
  public DemandReport {
    functions = functions == null ? List.of() : List.copyOf(functions);
  }

  /**
   * One function's demand on this replica.
   *
   * @param inFlight invocations running on an instance now
   * @param queued invocations held for a free slot
   * @param instances the instances (pods) this replica has routed to, with their activity
   */
  public record FunctionDemand(String namespace, String name, int inFlight, int queued,
      List<InstanceActivity> instances) {
    public FunctionDemand {
      instances = instances == null ? List.of() : List.copyOf(instances);
    }
  }

  /**
   * One instance's activity as this replica saw it.
   *
   * @param pod the pod's name
   * @param inFlight invocations this replica has running on it now
   * @param idleMillis milliseconds since this replica last had an invocation in flight on it (0 while one is):
   *     a duration, not a time, so that the replicas' and the operator's clocks need not agree
   */
  public record InstanceActivity(String pod, int inFlight, long idleMillis) {}
}
