package dev.fc.operator.gateway;

import dev.fc.operator.contract.LifecycleEndpoints;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an initializing instance itself when its Initializer has ended: one long-polled
 * {@link LifecycleEndpoints#STARTUP} on its lifecycle port with the pod's secret, as the kubelet's startup probe
 * sends it (docs/runtime-contract.md, "Lifecycle endpoints"). {@code 200} tells the directory at once, without
 * waiting for the kubelet's Ready; any other answer tells nothing (the pod's status then says what happened). A
 * refused or broken connection (the runtime not listening yet, or gone) is asked again every
 * {@link #RETRY_EVERY} while the instance is still initializing, within the watch's bound.
 *
 * <p>The secret is sent to that address only (no redirects are followed) and never logged.
 */
final class InitializerWatch implements StartupWatch {
  private static final Logger LOG = LoggerFactory.getLogger(InitializerWatch.class);
  static final Duration RETRY_EVERY = Duration.ofMillis(50);

  private final HttpClient client;
  private final Timers timers;
  private final Consumer<Result> results;

  /** How a watch that ran to its end ended (a cancelled one, or one whose instance moved on, counts nothing). */
  enum Result {
    /** {@code 200}: the instance took invocations before its pod was Ready. */
    INITIALIZED("initialized"),
    /** Another status: failed, timed out, stopping, or refused (a wrong token). */
    NOT_INITIALIZED("not_initialized"),
    /** No answer within the bound. */
    NO_ANSWER("no_answer");

    private final String label;

    Result(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  InitializerWatch(HttpClient client, Timers timers, Consumer<Result> results) {
    this.client = client;
    this.timers = timers;
    this.results = results;
  }

  static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  @Override
  public Runnable watch(String pod, StartupEndpoint endpoint, Duration within, BooleanSupplier stillWaiting,
      Runnable initialized) {
    Poll poll = new Poll(pod, endpoint, System.nanoTime() + within.toNanos(), stillWaiting, initialized);
    poll.send();
    return poll::cancel;
  }

  private final class Poll {
    private final String pod;
    private final StartupEndpoint endpoint;
    private final long deadlineNanos;
    private final BooleanSupplier stillWaiting;
    private final Runnable initialized;
    private volatile boolean cancelled;
    private volatile CompletableFuture<HttpResponse<Void>> inFlight;
    private volatile Runnable retry = () -> {};

    Poll(String pod, StartupEndpoint endpoint, long deadlineNanos, BooleanSupplier stillWaiting,
        Runnable initialized) {
      this.pod = pod;
      this.endpoint = endpoint;
      this.deadlineNanos = deadlineNanos;
      this.stillWaiting = stillWaiting;
      this.initialized = initialized;
    }

    void send() {
      if (cancelled || !stillWaiting.getAsBoolean()) {
        return;
      }
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        LOG.info("instance {}: {} did not answer within the watch's bound; it takes invocations once its pod is"
            + " Ready", pod, endpoint);
        results.accept(Result.NO_ANSWER);
        return;
      }
      HttpRequest request = HttpRequest.newBuilder(endpoint.uri())
          .timeout(Duration.ofNanos(left))
          .header(LifecycleEndpoints.TOKEN_HEADER, endpoint.token())
          .GET()
          .build();
      CompletableFuture<HttpResponse<Void>> call = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
      inFlight = call;
      call.whenComplete(this::answered);
      if (cancelled) {
        call.cancel(true);
      }
    }

    private void answered(HttpResponse<Void> response, Throwable failure) {
      if (cancelled) {
        return;
      }
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        if (cause instanceof IOException && !(cause instanceof HttpTimeoutException)) {
          retry = timers.schedule(RETRY_EVERY, this::send); // refused or reset: not listening yet, or gone
          if (cancelled) {
            retry.run();
          }
          return;
        }
        LOG.info("instance {}: {} gave no answer ({}); it takes invocations once its pod is Ready", pod, endpoint,
            cause.toString());
        results.accept(Result.NO_ANSWER);
        return;
      }
      if (response.statusCode() == 200) {
        initialized.run();
        results.accept(Result.INITIALIZED);
      } else {
        LOG.info("instance {}: {} answered {}; it takes invocations once its pod is Ready", pod, endpoint,
            response.statusCode());
        results.accept(Result.NOT_INITIALIZED);
      }
    }

    void cancel() {
      cancelled = true;
      retry.run();
      CompletableFuture<HttpResponse<Void>> call = inFlight;
      if (call != null) {
        call.cancel(true);
      }
    }
  }
}
