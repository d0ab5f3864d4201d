package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.function.Consumer;

/**
 * The operator's pods. Each pod the informer adds is handed to {@code added} (the expectations) before the
 * event goes on to trigger a reconcile: an event handler, where a filter would be asked only whether to
 * propagate the event, and not at all for an event JOSDK skips as the operator's own write.
 */
final class PodEventSource extends InformerEventSource<Pod, FunctionInstance> {
  private final Consumer<Pod> added;

  PodEventSource(InformerEventSourceConfiguration<Pod> configuration, EventSourceContext<FunctionInstance> context,
      Consumer<Pod> added) {
    super(configuration, context);
    this.added = added;
  }

  @Override
  public void onAdd(Pod pod) {
    added.accept(pod);
    super.onAdd(pod);
  }
}
