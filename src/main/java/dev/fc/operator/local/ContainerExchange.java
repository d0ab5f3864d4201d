package dev.fc.operator.local;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * How an HTTP exchange with the container ended, judged answer first, exit second. The container's exit and the
 * arrival of its answer are seen by two threads of this JVM (the process reaper, the HTTP client), in either
 * order: a runtime that sends its answer and then exits (a retirement after an invocation timeout) may be seen
 * exiting before its answer is read. And a runtime ending closes its ports before its exit is seen, so a request
 * then is refused. So:
 *
 * <ul>
 *   <li>once the container has exited, a pending answer is still awaited, for at most {@link #SETTLE}: its sockets
 *       closed with it, so the client learns at once whether a whole answer came;</li>
 *   <li>a request that failed (refused, closed before an answer) is put down to the container's end when the
 *       container is seen exiting within {@link #SETTLE}; else it failed, and says how.</li>
 * </ul>
 */
final class ContainerExchange {
  /** How long the two threads' views may lag each other; a bound, never a wait of its own when all is done. */
  static final Duration SETTLE = Duration.ofSeconds(5);

  enum Ending {
    /** An HTTP answer came. */
    ANSWERED,
    /** No answer, though the container is still running: {@link Outcome#detail()} says what went wrong. */
    FAILED,
    /** No answer, because the container exited. */
    CONTAINER_EXITED,
    /** Cut short: a stop was asked for. */
    STOPPED,
    /** Cut short: the deadline passed. */
    DEADLINE
  }

  record Outcome<T>(Ending ending, HttpResponse<T> response, String detail) {}

  private final Ticker ticker;
  private final CompletableFuture<?> containerExit;

  ContainerExchange(Ticker ticker, CompletableFuture<?> containerExit) {
    this.ticker = ticker;
    this.containerExit = containerExit;
  }

  /**
   * Waits for the exchange to end.
   *
   * @param stop cuts the exchange short when it completes (a stop asked for), unless an answer is there already
   * @param deadlineNanos on the ticker, or null for none
   */
  <T> Outcome<T> await(CompletableFuture<HttpResponse<T>> answer, CompletableFuture<?> stop, Long deadlineNanos)
      throws InterruptedException {
    boolean deadlineReached = waitUntil(deadlineNanos, CompletableFuture.anyOf(answer, containerExit, stop));
    if (!answer.isDone() && containerExit.isDone()) {
      waitUntil(settleDeadline(deadlineNanos), answer);
    }
    if (answer.isDone()) {
      return settled(answer, stop, deadlineNanos);
    }
    answer.cancel(true);
    if (containerExit.isDone()) {
      return new Outcome<>(Ending.CONTAINER_EXITED, null, "no answer before the container exited");
    }
    if (deadlineReached || !stop.isDone()) {
      return new Outcome<>(Ending.DEADLINE, null, "no answer before the deadline");
    }
    return new Outcome<>(Ending.STOPPED, null, "no answer before the stop");
  }

  private <T> Outcome<T> settled(CompletableFuture<HttpResponse<T>> answer, CompletableFuture<?> stop,
      Long deadlineNanos) throws InterruptedException {
    Throwable failure;
    try {
      return new Outcome<>(Ending.ANSWERED, answer.get(), null);
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (CancellationException e) {
      failure = e;
    }
    String detail = HttpGet.describe(failure, null);
    if (!containerExit.isDone()) {
      waitUntil(settleDeadline(deadlineNanos), CompletableFuture.anyOf(containerExit, stop));
    }
    return new Outcome<>(containerExit.isDone() ? Ending.CONTAINER_EXITED : Ending.FAILED, null, detail);
  }

  private long settleDeadline(Long deadlineNanos) {
    long settle = ticker.nanoTime() + SETTLE.toNanos();
    return deadlineNanos == null || deadlineNanos - settle > 0 ? settle : deadlineNanos;
  }

  /** True when the deadline was reached first. */
  private boolean waitUntil(Long deadlineNanos, CompletableFuture<?> wake) throws InterruptedException {
    if (deadlineNanos == null) {
      ticker.await(wake);
      return false;
    }
    return ticker.awaitUntil(deadlineNanos, wake);
  }
}
