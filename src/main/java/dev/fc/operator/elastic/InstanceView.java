package dev.fc.operator.elastic;

import java.time.Instant;

/**
 * One live instance as the scaling decision needs it: not terminating, not ended.
 *
 * @param pod the pod's name
 * @param ready whether it passed its Initializer and takes invocations
 * @param readySince when it became ready (null if not ready)
 */
public record InstanceView(String pod, boolean ready, Instant readySince) {}
