package dev.fc.operator.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One invocation's place on one instance, from when the directory grants it until {@link InstanceDirectory#release}.
 *
 * @see InstanceDirectory#acquire
 */
public final class Slot {
  private final RoutedFunction function;
  private final RoutedInstance instance;
  private final Duration waited;
  private final boolean held;
  final InstanceDirectory.InstanceState state;
  final AtomicBoolean released = new AtomicBoolean();

  Slot(RoutedFunction function, RoutedInstance instance, InstanceDirectory.InstanceState state, boolean held,
      Duration waited) {
    this.function = function;
    this.instance = instance;
    this.state = state;
    this.held = held;
    this.waited = waited;
  }

  public RoutedFunction function() {
    return function;
  }

  public RoutedInstance instance() {
    return instance;
  }

  /** Whether the invocation had to wait for a free slot (no instance had one when it arrived). */
  public boolean held() {
    return held;
  }

  /** How long it waited; zero when it was not held. */
  public Duration waited() {
    return waited;
  }
}
