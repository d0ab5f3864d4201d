package dev.fc.operator.elastic;

import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.SpecDefaults;
import java.time.Duration;
import java.util.Optional;

/**
 * An elastic function's bounds, defaulted (docs/elastic.md, "Fields").
 *
 * @param minInstances the fewest instances kept, even idle
 * @param maxInstances the most instances
 * @param idleTimeout how long an instance may serve nothing before it is reclaimed
 * @param instanceConcurrency invocations one instance runs at once
 */
public record ElasticBounds(int minInstances, int maxInstances, Duration idleTimeout, int instanceConcurrency) {

  /** The bounds of {@code spec}, or empty when its count is not elastic (then {@code spec.instances} holds). */
  public static Optional<ElasticBounds> of(FunctionInstanceSpec spec) {
    if (spec == null || !spec.elastic()) {
      return Optional.empty();
    }
    return Optional.of(new ElasticBounds(
        or(spec.getMinInstances(), SpecDefaults.ELASTIC_MIN_INSTANCES),
        or(spec.getMaxInstances(), SpecDefaults.ELASTIC_MAX_INSTANCES),
        Duration.ofSeconds(or(spec.getIdleTimeout(), SpecDefaults.ELASTIC_IDLE_TIMEOUT_SECONDS)),
        or(spec.getInstanceConcurrency(), SpecDefaults.INSTANCE_CONCURRENCY)));
  }

  private static int or(Integer value, int fallback) {
    return value != null ? value : fallback;
  }
}
