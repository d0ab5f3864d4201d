package dev.fc.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/**
 * An exchange with the container judged answer first, exit second, in every order the two threads that see them
 * can report them: the order is forced by a ticker whose every wait runs the next step of a script, so each case
 * is the same on every run.
 */
class ContainerExchangeTest {
  /** Each wait runs the next step (the world moving on), then returns as a real wait would. */
  static final class ScriptedTicker implements Ticker {
    long now;
    final Deque<Runnable> steps = new ArrayDeque<>();
    int waits;

    ScriptedTicker then(Runnable step) {
      steps.add(step);
      return this;
    }

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public boolean awaitUntil(long deadlineNanos, CompletableFuture<?> wake) {
      waits++;
      if (!wake.isDone() && !steps.isEmpty()) {
        steps.poll().run();
      }
      if (wake.isDone()) {
        return false;
      }
      now = Math.max(now, deadlineNanos);
      return true;
    }

    @Override
    public void await(CompletableFuture<?> wake) {
      if (awaitUntil(Long.MAX_VALUE, wake)) {
        throw new AssertionError("a wait without a deadline that nothing would end");
      }
    }
  }

  final ScriptedTicker ticker = new ScriptedTicker();
  final CompletableFuture<Void> exit = new CompletableFuture<>();
  final CompletableFuture<Void> stop = new CompletableFuture<>();
  final CompletableFuture<HttpResponse<String>> answer = new CompletableFuture<>();
  final ContainerExchange exchange = new ContainerExchange(ticker, exit);
  static final long SETTLE = ContainerExchange.SETTLE.toNanos();

  ContainerExchange.Outcome<String> await() throws InterruptedException {
    return exchange.await(answer, stop, null);
  }

  Runnable exits() {
    return () -> exit.complete(null);
  }

  Runnable answers(String body) {
    return () -> answer.complete(new Answer(200, body));
  }

  Runnable fails(IOException e) {
    return () -> answer.completeExceptionally(e);
  }

  static final Runnable NOTHING = () -> { };

  // ---- the answer and the exit, in either order -----------------------------------------------------------

  @Test
  void anAnswerSentBeforeTheExitIsReadEvenWhenTheExitIsSeenFirst() throws Exception {
    ticker.then(exits()).then(answers("timed out"));

    var outcome = await();

    assertThat(outcome.ending()).isEqualTo(ContainerExchange.Ending.ANSWERED);
    assertThat(outcome.response().body()).isEqualTo("timed out");
  }

  @Test
  void anAnswerSeenBeforeTheExitIsTheAnswer() throws Exception {
    ticker.then(() -> {
      answer.complete(new Answer(200, "ok"));
      exit.complete(null);
    });

    assertThat(await().ending()).isEqualTo(ContainerExchange.Ending.ANSWERED);
  }

  @Test
  void noAnswerAfterTheExitIsTheContainersEndNotAFailure() throws Exception {
    ticker.then(exits()).then(fails(new IOException("HTTP/1.1 header parser received no bytes")));

    var outcome = await();

    assertThat(outcome.ending()).isEqualTo(ContainerExchange.Ending.CONTAINER_EXITED);
    assertThat(outcome.detail()).isEqualTo("HTTP/1.1 header parser received no bytes");
  }

  @Test
  void anAnswerStillPendingAfterTheExitIsGivenUpAfterTheSettleTimeAndCancelled() throws Exception {
    ticker.then(exits()).then(NOTHING);

    var outcome = await();

    assertThat(outcome.ending()).isEqualTo(ContainerExchange.Ending.CONTAINER_EXITED);
    assertThat(answer.isCancelled()).isTrue();
    assertThat(ticker.now).isEqualTo(SETTLE);
  }

  // ---- a request refused: the container ending, or not ---------------------------------------------------

  @Test
  void aRefusedRequestIsPutDownToAnExitSeenJustAfter() throws Exception {
    ticker.then(fails(new ConnectException())).then(exits());

    var outcome = await();

    assertThat(outcome.ending()).isEqualTo(ContainerExchange.Ending.CONTAINER_EXITED);
    assertThat(outcome.detail()).isEqualTo("connection refused");
  }

  @Test
  void aRefusedRequestIsPutDownToAnExitSeenBefore() throws Exception {
    ticker.then(() -> {
      exit.complete(null);
      answer.completeExceptionally(new ConnectException());
    });

    assertThat(await().ending()).isEqualTo(ContainerExchange.Ending.CONTAINER_EXITED);
    assertThat(ticker.waits).as("no settle wait when the exit is already known").isEqualTo(1);
  }

  @Test
  void aRequestRefusedByAContainerThatGoesOnRunningFailedAfterTheSettleTime() throws Exception {
    ticker.then(fails(new ConnectException())).then(NOTHING);

    var outcome = await();

    assertThat(outcome.ending()).isEqualTo(ContainerExchange.Ending.FAILED);
    assertThat(outcome.detail()).isEqualTo("connection refused");
    assertThat(ticker.now).isEqualTo(SETTLE);
  }

  @Test
  void aConnectionClosedBeforeTheAnswerIsPutDownToTheExitToo() throws Exception {
    ticker.then(fails(new IOException("connection closed locally"))).then(exits());

    var outcome = await();

    assertThat(outcome.ending()).isEqualTo(ContainerExchange.Ending.CONTAINER_EXITED);
    assertThat(outcome.detail()).isEqualTo("connection closed before an answer");
  }

  // ---- stops and deadlines -----------------------------------------------------------------------------

  @Test
  void aStopCutsThePendingExchange() throws Exception {
    ticker.then(() -> stop.complete(null));

    var outcome = await();

    assertThat(outcome.ending()).isEqualTo(ContainerExchange.Ending.STOPPED);
    assertThat(answer.isCancelled()).isTrue();
  }

  @Test
  void anAnswerThatCameWithTheStopIsTheAnswer() throws Exception {
    ticker.then(() -> {
      stop.complete(null);
      answer.complete(new Answer(200, "ok"));
    });

    assertThat(await().ending()).isEqualTo(ContainerExchange.Ending.ANSWERED);
  }

  @Test
  void theDeadlineCutsAnExchangeThatGoesOnAndNoMore() throws Exception {
    ticker.then(NOTHING);

    var outcome = exchange.await(answer, stop, 5_000L);

    assertThat(outcome.ending()).isEqualTo(ContainerExchange.Ending.DEADLINE);
    assertThat(answer.isCancelled()).isTrue();
    assertThat(ticker.now).isEqualTo(5_000L);
  }

  @Test
  void theSettleTimeNeverRunsPastTheDeadline() throws Exception {
    long deadline = SETTLE / 2;
    ticker.then(fails(new ConnectException())).then(NOTHING);

    var outcome = exchange.await(answer, stop, deadline);

    assertThat(outcome.ending()).isEqualTo(ContainerExchange.Ending.FAILED);
    assertThat(ticker.now).isEqualTo(deadline);
  }

  /** An HTTP answer: status and body. */
  record Answer(int statusCode, String body) implements HttpResponse<String> {
    @Override
    public HttpRequest request() {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).build();
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return HttpHeaders.of(Map.of(), (a, b) -> true);
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request().uri();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
