package dev.fc.operator.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's meters (docs/gateway.md, "Metrics"): {@code fc_gateway_invocations_total{namespace,function,outcome}},
 * {@code fc_gateway_queue_wait_seconds{namespace,function}}, {@code fc_gateway_held_invocations_total{namespace,function}},
 * {@code fc_gateway_forwarded_total{namespace,function,result}}, {@code fc_gateway_startup_watches_total{result}}, and the gauges {@code fc_gateway_in_flight} and
 * {@code fc_gateway_queued} per function.
 */
public final class GatewayMetrics implements InstanceDirectory.DirectoryEvents {
  private final MeterRegistry registry;
  private final Map<FunctionKey, List<Meter>> gauges = new ConcurrentHashMap<>();
  private volatile InstanceDirectory directory;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The directory the gauges read. */
  void bind(InstanceDirectory directory) {
    this.directory = directory;
  }

  public void invocation(FunctionKey key, InvocationOutcome outcome) {
    Counter.builder("fc.gateway.invocations")
        .description("Invocations through this gateway, by how they ended")
        .tags(tags(key).and("outcome", outcome.label()))
        .register(registry).increment();
  }

  /** An invocation sent on to the replica owning its function, by {@link ForwardResult}. */
  public void forwarded(FunctionKey key, ForwardResult result) {
    Counter.builder("fc.gateway.forwarded")
        .description("Invocations sent on to the gateway replica owning their function, by result")
        .tags(tags(key).and("result", result.label()))
        .register(registry).increment();
  }

  /** An invocation that waited for a slot (a cold start caused by an invocation, or all slots busy). */
  public void held(FunctionKey key, Duration waited) {
    Counter.builder("fc.gateway.held.invocations")
        .description("Invocations that found no free slot and were held until one freed or an instance started")
        .tags(tags(key)).register(registry).increment();
    queueWait(key, waited);
  }

  public void queueWait(FunctionKey key, Duration waited) {
    Timer.builder("fc.gateway.queue.wait")
        .description("How long invocations were held for a free slot")
        .tags(tags(key))
        .publishPercentileHistogram()
        .register(registry).record(waited);
  }

  /** A watch of an initializing instance's {@code /startup} ended (docs/gateway.md). */
  void startupWatch(InitializerWatch.Result result) {
    Counter.builder("fc.gateway.startup.watches")
        .description("Watches of initializing instances' startup endpoint, by how they ended")
        .tags("result", result.label())
        .register(registry).increment();
  }

  @Override
  public void functionAdded(FunctionKey key) {
    gauges.computeIfAbsent(key, k -> List.of(
        Gauge.builder("fc.gateway.in.flight", this, m -> m.directory == null ? 0 : m.directory.inFlight(k))
            .description("Invocations of the function running on an instance now").tags(tags(k)).register(registry),
        Gauge.builder("fc.gateway.queued", this, m -> m.directory == null ? 0 : m.directory.queued(k))
            .description("Invocations of the function held for a free slot now").tags(tags(k)).register(registry)));
  }

  @Override
  public void functionRemoved(FunctionKey key) {
    List<Meter> meters = gauges.remove(key);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }

  private static Tags tags(FunctionKey key) {
    return Tags.of("namespace", key.namespace(), "function", key.name());
  }
}
