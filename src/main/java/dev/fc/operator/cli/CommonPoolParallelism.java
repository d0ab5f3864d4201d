package dev.fc.operator.cli;

import java.util.Properties;

/**
 * On one or two CPUs (a container limited to {@code cpu: 1}, a pinned process) the JVM sizes ForkJoin's common pool to
 * one thread or none, and {@code CompletableFuture}'s asynchronous steps then start a new thread per step: the
 * fabric8 client's JDK HTTP transport completes every response that way, some six threads per function at 1,000
 * functions. A common pool of two threads avoids it. Set before anything uses the pool; a value the user gave stays.
 */
final class CommonPoolParallelism {
  static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";
  /** CompletableFuture uses the common pool from this parallelism on. */
  static final int MIN = 2;

  private CommonPoolParallelism() {}

  static void ensure(int processors, Properties properties) {
    if (processors - 1 < MIN && properties.getProperty(PROPERTY) == null) {
      properties.setProperty(PROPERTY, String.valueOf(MIN));
    }
  }
}
