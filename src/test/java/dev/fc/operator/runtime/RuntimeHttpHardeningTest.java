package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fc.operator.contract.LifecycleEndpoints;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runtime's HTTP handling against clients that misbehave (docs/runtime-contract.md, "HTTP"): malformed
 * and oversized requests, slow and idle clients, a burst of connections, request ids that would forge FC's
 * log lines. Raw sockets, since a proper client cannot send most of these. One runtime serves most tests,
 * with short client timeouts; no traceback may appear in its output, nor in any other runtime's here. The malformed
 * requests ({@link #malformedInvocations()}, {@link #malformedProbes()}) are refused by every runtime alike: {@link
 * ContractConformanceTest} sends them.
 */
class RuntimeHttpHardeningTest {

  static final int READ_TIMEOUT_MS = 1000;
  static final int IDLE_TIMEOUT_MS = 2000;
  static final int MAX_BODY = 32 * 1024 * 1024;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final String TRACEBACK = "Traceback (most recent call last)";
  static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) (\\S.*)");
  static final String INVOKE = "POST /invoke HTTP/1.1\r\nHost: fc\r\n";
  static final String CHUNKED = INVOKE + "Transfer-Encoding: chunked\r\n\r\n";
  static final Map<Integer, String> ERROR_TYPES = Map.of(
      400, "BadRequest", 408, "RequestTimeout", 413, "RequestEntityTooLarge", 414, "RequestURITooLong",
      431, "RequestHeaderFieldsTooLarge", 501, "NotImplemented", 505, "HTTPVersionNotSupported");

  @TempDir static Path tmp;
  static RuntimeProcess rt;
  static final AtomicInteger MARKS = new AtomicInteger();

  @BeforeAll
  static void startShared() throws IOException {
    rt = started(tmp.resolve("shared"), "FC_INSTANCE_CONCURRENCY", "4");
  }

  /** An event runtime with handlers.echo, FC_TIMEOUT 5 and client timeouts of 1 s (read) and 2 s (idle). */
  static RuntimeProcess started(Path dir, String... moreEnv) throws IOException {
    Map<String, String> env = env("FC_FUNCTION_HANDLER", "handlers.echo", "FC_TIMEOUT", "5",
        "FC_HTTP_READ_TIMEOUT", Integer.toString(READ_TIMEOUT_MS / 1000),
        "FC_HTTP_IDLE_TIMEOUT", Integer.toString(IDLE_TIMEOUT_MS / 1000));
    env.putAll(env(moreEnv));
    RuntimeProcess started = RuntimeProcess.start(dir, env);
    started.awaitStartup();
    return started;
  }

  private int linesBefore;

  @BeforeEach
  void noteWhereTheOutputStands() {
    linesBefore = rt.lines().size();
  }

  @AfterEach
  void noTracebackDuringTheTest() {
    List<String> lines = rt.lines();
    assertCleanOutput(lines.subList(linesBefore, lines.size()));
  }

  @AfterAll
  static void stopShared() {
    rt.sigterm();
    assertThat(rt.awaitExit()).isZero();
    assertCleanOutput(rt.lines()); // now the whole output: the process has ended and its output was read to the end
  }

  /** No traceback, no forged failure marker, no remark of the runtime about an error of its own. */
  static void assertCleanOutput(List<String> lines) {
    assertThat(lines)
        .noneMatch(l -> l.contains(TRACEBACK))
        .noneMatch(l -> l.contains("Unhandled function error"))
        .noneMatch(l -> l.startsWith("fc-runtime: error"));
  }

  // ---- malformed requests -------------------------------------------------------------------------

  /** A request the runtime must refuse with status; endInput: the client closes its side after sending. */
  record Bad(String what, String request, boolean endInput, int status) {
    @Override
    public String toString() {
      return what + " -> " + status;
    }
  }

  static Bad bad(String what, String request, int status) {
    return new Bad(what, request, false, status);
  }

  static Bad cutShort(String what, String request) {
    return new Bad(what, request, true, 400);
  }

  /** Refused on the invocation port with FC's error body: ContractConformanceTest sends them to every runtime. */
  static Stream<Bad> malformedInvocations() {
    String lengthThree = "Content-Length: 3\r\n\r\nstr";
    return Stream.of(
        bad("Content-Length: abc", INVOKE + "Content-Length: abc\r\n\r\nstr", 400),
        bad("Content-Length: -5", INVOKE + "Content-Length: -5\r\n\r\nstr", 400),
        bad("Content-Length: +3", INVOKE + "Content-Length: +3\r\n\r\nstr", 400),
        bad("Content-Length: 3.0", INVOKE + "Content-Length: 3.0\r\n\r\nstr", 400),
        bad("Content-Length: 0x3", INVOKE + "Content-Length: 0x3\r\n\r\nstr", 400),
        bad("empty Content-Length", INVOKE + "Content-Length:\r\n\r\nstr", 400),
        bad("Content-Length twice, equal", INVOKE + "Content-Length: 3\r\n" + lengthThree, 400),
        bad("Content-Length twice, different", INVOKE + "Content-Length: 4\r\n" + lengthThree, 400),
        bad("Content-Length list", INVOKE + "Content-Length: 3, 3\r\n\r\nstr", 400),
        bad("Content-Length and Transfer-Encoding",
            INVOKE + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nstr\r\n0\r\n\r\n", 400),
        bad("Transfer-Encoding not ending in chunked", INVOKE + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400),
        bad("chunked twice",
            INVOKE + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nstr\r\n0\r\n\r\n", 400),
        bad("Transfer-Encoding in HTTP/1.0",
            "POST /invoke HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nstr\r\n0\r\n\r\n", 400),
        bad("chunk size not hex", CHUNKED + "zz\r\nstr\r\n0\r\n\r\n", 400),
        bad("negative chunk size", CHUNKED + "-3\r\nstr\r\n0\r\n\r\n", 400),
        bad("empty chunk size", CHUNKED + "\r\nstr\r\n0\r\n\r\n", 400),
        bad("chunk longer than its size", CHUNKED + "3\r\nstrstr\r\n0\r\n\r\n", 400),
        cutShort("chunk cut short", CHUNKED + "5\r\nst"),
        cutShort("chunked body without its last chunk", CHUNKED + "3\r\nstr\r\n"),
        cutShort("body cut short", INVOKE + "Content-Length: 10\r\n\r\nstr"),
        cutShort("head cut short", INVOKE + "Content-Length: 3\r\n"),
        cutShort("request line cut short", "POST /inv"),
        bad("request line of one word", "GARBAGE\r\n\r\n", 400),
        bad("HTTP/0.9 request line", "GET /invoke\r\n\r\n", 400),
        bad("request line of four words", "POST /invoke HTTP/1.1 x\r\nHost: fc\r\n" + lengthThree, 400),
        bad("two spaces in the request line", "POST  /invoke HTTP/1.1\r\nHost: fc\r\n" + lengthThree, 400),
        bad("target without a slash", "POST invoke HTTP/1.1\r\nHost: fc\r\n" + lengthThree, 400),
        bad("version in lower case", "POST /invoke http/1.1\r\nHost: fc\r\n" + lengthThree, 400),
        bad("version of two digits", "POST /invoke HTTP/1.10\r\nHost: fc\r\n" + lengthThree, 400),
        bad("control character in the target", "POST /in\u0001voke HTTP/1.1\r\nHost: fc\r\n" + lengthThree, 400),
        bad("space before a header's colon", INVOKE + "Content-Length : 3\r\n\r\nstr", 400),
        bad("header line without a colon", INVOKE + "Content-Length 3\r\n\r\nstr", 400),
        bad("folded header line", INVOKE + "X-A: a\r\n  b\r\n" + lengthThree, 400),
        bad("header without a name", INVOKE + ": a\r\n" + lengthThree, 400),
        bad("NUL in a header value", INVOKE + "X-A: a\u0000b\r\n" + lengthThree, 400),
        bad("bare CR in a header value", INVOKE + "X-A: a\rb\r\n" + lengthThree, 400),
        bad("header that would print an FC line", INVOKE + "FC Invoke End RequestId: x\r\n" + lengthThree, 400),
        // the body is never sent: the answer must come from the head alone, at once (a read would time out)
        bad("Content-Length over 32 MiB", INVOKE + "Content-Length: " + (MAX_BODY + 1) + "\r\n\r\n", 413),
        bad("Content-Length of 30 digits", INVOKE + "Content-Length: " + "9".repeat(30) + "\r\n\r\n", 413),
        bad("Content-Length of 5000 digits", INVOKE + "Content-Length: " + "9".repeat(5000) + "\r\n\r\n", 413),
        bad("chunk size over 32 MiB", CHUNKED + Integer.toHexString(MAX_BODY + 1) + "\r\n", 413),
        bad("chunk size of 40 hex digits", CHUNKED + "f".repeat(40) + "\r\n", 413),
        bad("request line over 64 KiB", "POST /" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: fc\r\n\r\n", 414),
        bad("header line over 64 KiB", INVOKE + "X-A: " + "a".repeat(70_000) + "\r\n\r\n", 431),
        bad("101 header lines", INVOKE + "X-A: a\r\n".repeat(101) + "\r\n", 431),
        bad("head over 1 MiB", INVOKE + ("X-A: " + "a".repeat(60_000) + "\r\n").repeat(20) + "\r\n", 431),
        bad("unknown method", "BREW /invoke HTTP/1.1\r\nHost: fc\r\n" + lengthThree, 501),
        bad("transfer coding other than chunked", INVOKE + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501),
        bad("HTTP/2.0", "POST /invoke HTTP/2.0\r\nHost: fc\r\n" + lengthThree, 505),
        // Host (RFC 9112 section 3.2): required in HTTP/1.1, once, a valid host[:port]
        bad("no Host in HTTP/1.1", "POST /invoke HTTP/1.1\r\n" + lengthThree, 400),
        bad("Host twice, equal", INVOKE + "Host: fc\r\n" + lengthThree, 400),
        bad("Host twice, different", INVOKE + "host: elsewhere\r\n" + lengthThree, 400),
        bad("Host twice in HTTP/1.0", "POST /invoke HTTP/1.0\r\nHost: fc\r\nHost: fc\r\n" + lengthThree, 400),
        bad("Host with a space", withHost("f c") + lengthThree, 400),
        bad("Host as a list", withHost("fc, elsewhere") + lengthThree, 400),
        bad("Host with user information", withHost("user@fc") + lengthThree, 400),
        bad("Host with a path", withHost("fc/invoke") + lengthThree, 400),
        bad("Host with a port that is not digits", withHost("fc:90a") + lengthThree, 400),
        bad("Host with two ports", withHost("fc:9000:9000") + lengthThree, 400),
        bad("Host an IPv6 address without brackets", withHost("::1") + lengthThree, 400),
        bad("Host a bracketed literal that is no IPv6 address", withHost("[::g]") + lengthThree, 400),
        bad("Host with an unclosed bracket", withHost("[::1") + lengthThree, 400),
        bad("Host with a bad percent escape", withHost("f%zz") + lengthThree, 400),
        // request-target forms (RFC 9112 section 3.2)
        bad("absolute-form target without Host in HTTP/1.1", "POST http://fc/invoke HTTP/1.1\r\n" + lengthThree, 400),
        bad("absolute-form target with user information", target("POST", "http://user:pw@fc/invoke") + lengthThree,
            400),
        bad("absolute-form target with an empty host", target("POST", "http:///invoke") + lengthThree, 400),
        bad("absolute-form target with a port and no host", target("POST", "http://:9000/invoke") + lengthThree,
            400),
        bad("absolute-form target with a port that is not digits", target("POST", "http://fc:x/invoke")
            + lengthThree, 400),
        bad("absolute-form target with a bad IPv6 literal", target("POST", "http://[::1/invoke") + lengthThree, 400),
        bad("absolute-form target of another scheme", target("POST", "ftp://fc/invoke") + lengthThree, 400),
        bad("http: target without //", target("POST", "http:/invoke") + lengthThree, 400),
        bad("fragment in the target", target("POST", "/invoke#part") + lengthThree, 400),
        bad("fragment in an absolute-form target", target("POST", "http://fc/invoke#part") + lengthThree, 400),
        bad("authority-form target for POST", target("POST", "fc:9000") + lengthThree, 400),
        bad("asterisk-form target for POST", target("POST", "*") + lengthThree, 400),
        bad("CONNECT with a path", target("CONNECT", "/invoke") + "\r\n", 400),
        bad("CONNECT with an asterisk", target("CONNECT", "*") + "\r\n", 400),
        bad("CONNECT to host:port, which the runtime does not serve", target("CONNECT", "fc:443") + "\r\n", 501));
  }

  /**
   * A request line and header lines for the lifecycle port, ended as the kubelet ends a probe's head: the one place
   * for what the port requires of a probe beyond HTTP.
   */
  static String asTheKubeletSends(String head) {
    return head + LifecycleEndpoints.TOKEN_HEADER + ": " + RuntimeProcess.TOKEN + "\r\n\r\n";
  }

  /** POST /invoke with that Host line. */
  static String withHost(String host) {
    return "POST /invoke HTTP/1.1\r\nHost: " + host + "\r\n";
  }

  /** METHOD TARGET HTTP/1.1 with Host: fc. */
  static String target(String method, String target) {
    return method + " " + target + " HTTP/1.1\r\nHost: fc\r\n";
  }

  /** Refused on the lifecycle port with a line of text: ContractConformanceTest sends them to every runtime. */
  static Stream<Bad> malformedProbes() {
    String ready = "GET /ready HTTP/1.1\r\nHost: fc\r\n";
    return Stream.of(
        bad("request line of one word", "GARBAGE\r\n\r\n", 400),
        bad("Content-Length: -5", ready + "Content-Length: -5\r\n\r\n", 400),
        bad("folded header line", ready + "X-A: a\r\n b\r\n\r\n", 400),
        bad("Content-Length over 32 MiB", ready + "Content-Length: " + (MAX_BODY + 1) + "\r\n\r\n", 413),
        bad("POST", "POST /ready HTTP/1.1\r\nHost: fc\r\nContent-Length: 0\r\n\r\n", 501),
        bad("HTTP/3.0", "GET /ready HTTP/3.0\r\nHost: fc\r\n\r\n", 505),
        bad("no Host in HTTP/1.1", "GET /ready HTTP/1.1\r\n\r\n", 400),
        bad("Host twice", ready + "Host: fc\r\n\r\n", 400),
        bad("absolute-form target with user information", target("GET", "http://user@fc/ready") + "\r\n", 400),
        bad("GET *", target("GET", "*") + "\r\n", 400),
        bad("OPTIONS *, a method the port does not serve", target("OPTIONS", "*") + "\r\n", 501),
        cutShort("head cut short", ready));
  }

  static void assertRefusal(Answer a, int status) {
    assertThat(a.status()).as(a.statusLine()).isEqualTo(status);
    assertThat(a.header("connection")).isEqualTo("close");
    assertThat(a.body().length).isLessThan(400);
  }

  // ---- what is accepted ---------------------------------------------------------------------------

  /** A request the runtime must take, and the body its handler must see. */
  record Good(String what, String request, String body) {
    @Override
    public String toString() {
      return what;
    }
  }

  static Stream<Good> acceptedInvocations() {
    String threeBytes = "Content-Length: 3\r\n\r\nabc";
    return Stream.of(
        new Good("Content-Length with leading zeros", INVOKE + "Content-Length: 0003\r\n\r\nabc", "abc"),
        new Good("spaces around Content-Length", INVOKE + "Content-Length:   3  \r\n\r\nabc", "abc"),
        new Good("chunked", CHUNKED + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n", "abcdefg"),
        new Good("chunk extensions and trailers", CHUNKED + "3;name=value\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n", "abc"),
        new Good("upper-case hex chunk size", CHUNKED + "A\r\n0123456789\r\n0\r\n\r\n", "0123456789"),
        new Good("Transfer-Encoding in capitals",
            INVOKE + "Transfer-Encoding: CHUNKED\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "abc"),
        new Good("empty lines before the request line", "\r\n\r\n" + INVOKE + "Content-Length: 3\r\n\r\nabc", "abc"),
        new Good("lines ended by LF alone", "POST /invoke HTTP/1.1\nHost: fc\nContent-Length: 3\n\nabc", "abc"),
        new Good("HTTP/1.0", "POST /invoke HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc", "abc"),
        new Good("absolute-form target",
            "POST http://fc/invoke HTTP/1.1\r\nHost: fc\r\nContent-Length: 3\r\n\r\nabc", "abc"),
        new Good("absolute-form target in capitals", target("POST", "HTTP://FC/invoke") + threeBytes, "abc"),
        new Good("absolute-form https target", target("POST", "https://fc/invoke") + threeBytes, "abc"),
        new Good("absolute-form target whose host is not the Host header's",
            "POST http://fc:9000/invoke HTTP/1.1\r\nHost: elsewhere\r\n" + threeBytes, "abc"),
        new Good("absolute-form target with an IPv6 host, a port and a query",
            target("POST", "http://[::1]:9000/invoke?x=1") + threeBytes, "abc"),
        new Good("absolute-form target in HTTP/1.0 without Host",
            "POST http://fc/invoke HTTP/1.0\r\n" + threeBytes, "abc"),
        new Good("empty Host", withHost("") + threeBytes, "abc"),
        new Good("Host with a port", withHost("fc:9000") + threeBytes, "abc"),
        new Good("Host with an empty port", withHost("fc:") + threeBytes, "abc"),
        new Good("Host an IPv6 literal with a port", withHost("[::1]:9000") + threeBytes, "abc"),
        new Good("Host an IPv4 address", withHost("127.0.0.1") + threeBytes, "abc"),
        new Good("Host with a percent escape and sub-delimiters", withHost("f%41c!$&'()*+,;=") + threeBytes, "abc"),
        new Good("Host header named in lower case", "POST /invoke HTTP/1.1\r\nhost: fc\r\n" + threeBytes, "abc"),
        new Good("no body", INVOKE + "\r\n", ""),
        new Good("non-ASCII bytes in a header value",
            INVOKE + "X-A: caf\u00e9\r\nContent-Length: 3\r\n\r\nabc", "abc"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedInvocations")
  void acceptedInvocationIsServed(Good good) throws Exception {
    try (Client c = new Client(rt.invokePort)) {
      Answer a = c.send(good.request()).answer();
      assertThat(a.status()).as(a.statusLine()).isEqualTo(200);
      assertEcho(a.json(), good.body().getBytes(ISO_8859_1));
    }
  }

  @Test
  void aBodyOfExactly32MiBIsTakenAndOneByteMoreIsNot(@TempDir Path dir) throws Exception {
    byte[] body = new byte[MAX_BODY];
    new Random(14).nextBytes(body);
    // its own runtime, with the default read timeout: 32 MiB on a busy machine may take more than 1 s
    RuntimeProcess roomy = RuntimeProcess.start(dir, env("FC_FUNCTION_HANDLER", "handlers.echo"));
    try (roomy) {
      roomy.awaitStartup();
      try (Client c = new Client(roomy.invokePort)) {
        Answer a = c.send(INVOKE + "Content-Length: " + MAX_BODY + "\r\n\r\n").send(body).answer();
        assertThat(a.status()).isEqualTo(200);
        assertEcho(a.json(), body);
      }
      try (Client c = new Client(roomy.invokePort)) {
        c.send(CHUNKED);
        for (int i = 0; i < 32; i++) {
          c.send(Integer.toHexString(1 << 20) + "\r\n").send(body, i << 20, 1 << 20).send("\r\n");
        }
        // one byte more: refused on the size line, before the chunk is sent at all
        Answer a = c.send("1\r\n").answer();
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.json().path("errorType").asText()).isEqualTo("RequestEntityTooLarge");
        assertThat(c.closedByServer()).isTrue();
      }
      roomy.sigterm();
      assertThat(roomy.awaitExit()).isZero();
      assertCleanOutput(roomy.lines());
    }
  }

  @Test
  void continueIsInvitedOnlyForABodyThatWillBeTaken() throws Exception {
    try (Client c = new Client(rt.invokePort)) {
      c.send(INVOKE + "Expect: 100-continue\r\nContent-Length: 3\r\n\r\n");
      assertThat(c.answer().status()).isEqualTo(100);
      Answer a = c.send("abc").answer();
      assertThat(a.status()).isEqualTo(200);
      assertEcho(a.json(), "abc".getBytes(UTF_8));
    }
    try (Client c = new Client(rt.invokePort)) {
      Answer a = c.send(INVOKE + "Expect: 100-continue\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n").answer();
      assertThat(a.status()).as("the refusal, with no 100 Continue before it").isEqualTo(413);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
    try (Client c = new Client(rt.invokePort)) {
      c.send(post("one", "x-fc-request-id: pipe-1") + post("two!", "x-fc-request-id: pipe-2")
          + post("three", "x-fc-request-id: pipe-3", "Connection: close"));
      for (String[] expected : new String[][] {{"pipe-1", "one"}, {"pipe-2", "two!"}, {"pipe-3", "three"}}) {
        Answer a = c.answer();
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("x-fc-request-id")).isEqualTo(expected[0]);
        assertEcho(a.json(), expected[1].getBytes(UTF_8));
      }
      assertThat(c.closedByServer()).as("Connection: close is honoured").isTrue();
    }
  }

  @Test
  void absoluteFormTargetIsServedByItsPath() throws Exception {
    try (Client c = new Client(rt.lifecyclePort)) {
      Answer ready = c.send(asTheKubeletSends("GET http://fc:9001/ready HTTP/1.1\r\nHost: elsewhere\r\n")).answer();
      assertThat(ready.status()).as(ready.statusLine()).isEqualTo(200);
      assertThat(ready.text()).isEqualTo("ready\n");
    }
    try (Client c = new Client(rt.invokePort)) {
      Answer elsewhere = c.send(target("POST", "http://fc/elsewhere/invoke") + "Content-Length: 0\r\n\r\n").answer();
      assertThat(elsewhere.status()).as("the path is /elsewhere/invoke").isEqualTo(404);
    }
  }

  @Test
  void optionsAsteriskIsAnsweredByTheRuntimeAndRunsNoHandler() throws Exception {
    List<String> printed = linesDuring(() -> {
      try (Client c = new Client(rt.invokePort)) {
        Answer a = c.send(target("OPTIONS", "*") + "\r\n").answer();
        assertThat(a.status()).as(a.statusLine()).isEqualTo(200);
        assertThat(a.header("allow")).as("an event function is invoked with POST").isEqualTo("POST");
        assertThat(a.body()).isEmpty();
        assertThat(c.send(post("after")).answer().status()).as("the connection is kept").isEqualTo(200);
      }
    });
    assertThat(printed).hasSize(2).allMatch(l -> l.startsWith("FC Invoke ")); // the POST's, none for OPTIONS *
  }

  @Test
  void httpFunctionSeesTheTargetsPathQueryAndHost(@TempDir Path dir) throws Exception {
    try (RuntimeProcess http = started(dir, "FC_FUNCTION_HANDLER", "wsgi_app.app", "FC_HANDLER_TYPE", "http")) {
      JsonNode absolute = exchange(http.invokePort,
          "GET http://example.test:8080/some/path?x=1 HTTP/1.1\r\nHost: elsewhere\r\n\r\n").json();
      assertThat(absolute.path("path").asText()).isEqualTo("/some/path");
      assertThat(absolute.path("query").asText()).isEqualTo("x=1");
      assertThat(absolute.path("server_name").asText()).isEqualTo("example.test");
      assertThat(absolute.path("request_uri").asText()).isEqualTo("http://example.test:8080/some/path?x=1");

      JsonNode ipv6 = exchange(http.invokePort, "GET /p HTTP/1.1\r\nHost: [::1]:9000\r\n\r\n").json();
      assertThat(ipv6.path("server_name").asText()).isEqualTo("[::1]");

      Answer options = exchange(http.invokePort, target("OPTIONS", "*") + "\r\n");
      assertThat(options.status()).isEqualTo(200);
      assertThat(options.header("allow")).isEqualTo("GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS");
      Answer optionsOfAPath = exchange(http.invokePort, target("OPTIONS", "/p") + "\r\n");
      assertThat(optionsOfAPath.status()).as("OPTIONS of a path is the function's").isEqualTo(201);
      assertThat(optionsOfAPath.json().path("method").asText()).isEqualTo("OPTIONS");
      http.sigterm();
      assertThat(http.awaitExit()).isZero();
      // the whole output, read to its end: three invocations (absolute, ipv6, OPTIONS /p), none for OPTIONS *
      assertThat(http.lines().stream().filter(l -> l.startsWith("FC Invoke Start"))).hasSize(3);
      assertCleanOutput(http.lines());
    }
  }

  @Test
  void errorAnswersToWholeRequestsKeepTheConnection() throws Exception {
    try (Client c = new Client(rt.invokePort)) {
      Answer notFound = c.send("POST /elsewhere HTTP/1.1\r\nHost: fc\r\nContent-Length: 3\r\n\r\nabc").answer();
      assertThat(notFound.status()).isEqualTo(404);
      assertThat(notFound.header("connection")).isNull();
      Answer wrongMethod = c.send("GET /invoke HTTP/1.1\r\nHost: fc\r\n\r\n").answer();
      assertThat(wrongMethod.status()).isEqualTo(405);
      assertThat(c.send(post("again")).answer().status()).isEqualTo(200);
    }
  }

  @Test
  void http10ConnectionIsClosedAfterItsAnswer() throws Exception {
    try (Client c = new Client(rt.invokePort)) {
      Answer a = c.send("POST /invoke HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc").answer();
      assertThat(a.status()).isEqualTo(200);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  // ---- slow and idle clients ----------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "POST /inv",
      "POST /invoke HTTP/1.1\r\nHost: fc\r\nContent-Le",
      "POST /invoke HTTP/1.1\r\nHost: fc\r\nContent-Length: 10\r\n\r\nabc",
      "POST /invoke HTTP/1.1\r\nHost: fc\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"})
  void requestThatStopsArrivingIsAnswered408AfterTheReadTimeout(String partial) throws Exception {
    try (Client c = new Client(rt.invokePort)) {
      long sent = System.nanoTime();
      Answer a = c.send(partial).answer();
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      assertRefusal(a, 408);
      assertThat(a.json().path("errorType").asText()).isEqualTo("RequestTimeout");
      assertThat(waitedMs).isBetween(READ_TIMEOUT_MS - 100L, READ_TIMEOUT_MS + 3000L);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void requestDrippingInIsCutOffAtTheReadTimeoutOfItsFirstByte() throws Exception {
    byte[] request = post("drip").getBytes(ISO_8859_1);
    try (Client c = new Client(rt.invokePort)) {
      long started = System.nanoTime();
      int sent = 0;
      // A byte every 100 ms: every read returns soon, the request as a whole would take 6 s.
      while (sent < request.length && !c.answerArriving() && c.trySend(request[sent])) {
        sent++;
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // paces the client; waits for nothing
      }
      Answer a = c.answer();
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(a.status()).isEqualTo(408);
      assertThat(sent).isLessThan(request.length);
      assertThat(tookMs).isBetween(READ_TIMEOUT_MS - 100L, READ_TIMEOUT_MS + 3000L);
    }
  }

  @Test
  void connectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
    try (Client c = new Client(rt.invokePort)) {
      long opened = System.nanoTime();
      assertThat(c.closedByServer()).as("closed without an answer").isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened))
          .isBetween(IDLE_TIMEOUT_MS - 100L, IDLE_TIMEOUT_MS + 3000L);
    }
  }

  @Test
  void keepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (Client c = new Client(rt.invokePort)) {
      assertThat(c.send(post("once")).answer().status()).isEqualTo(200);
      long answered = System.nanoTime();
      assertThat(c.closedByServer()).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered))
          .isBetween(IDLE_TIMEOUT_MS - 100L, IDLE_TIMEOUT_MS + 3000L);
    }
  }

  @Test
  void handlerRunningLongerThanTheClientTimeoutsIsNotCutOff() throws Exception {
    try (Client c = new Client(rt.invokePort)) {
      long sent = System.nanoTime();
      Answer slow = c.send(post("sleep 2.5")).answer(); // longer than the read and the idle timeout
      assertThat(slow.status()).isEqualTo(200);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isGreaterThanOrEqualTo(2500L);
      assertThat(c.send(post("next")).answer().status()).as("the connection is still open").isEqualTo(200);
    }
  }

  @Test
  void clientThatStopsReadingLosesItsAnswerNotTheSlot(@TempDir Path dir) throws Exception {
    try (RuntimeProcess one = started(dir, "FC_INSTANCE_CONCURRENCY", "1")) {
      try (Client stalled = new Client(one.invokePort, 4096)) {
        stalled.send(post("big 64000000", "x-fc-request-id: stalled"));
        one.awaitLine(Pattern.compile("FC Invoke End RequestId: stalled"));
        // Without a bound on writing, the answer would hold the only slot: this one would get 429 after 5 s.
        Answer next = exchange(one.invokePort, post("next"));
        assertThat(next.status()).isEqualTo(200);
        assertThat(stalled.readToEnd()).as("the rest of the answer was dropped").isLessThan(64_000_000L);
      }
      one.sigterm();
      assertThat(one.awaitExit()).isZero();
      assertCleanOutput(one.lines());
    }
  }

  // ---- clients that go away, errors of the runtime's own ------------------------------------------

  @Test
  void clientGoneBeforeItsAnswerIsDroppedSilently() throws Exception {
    List<String> printed = linesDuring(() -> {
      Client c = new Client(rt.invokePort);
      c.send(post("sleep 0.3", "x-fc-request-id: gone-1"));
      c.reset(); // the answer is written to a reset connection: ConnectionReset or BrokenPipe
      rt.awaitLine(Pattern.compile("FC Invoke End RequestId: gone-1"));
    });
    assertThat(printed).containsExactly("FC Invoke Start RequestId: gone-1", "FC Invoke End RequestId: gone-1");
  }

  @Test
  void clientResetInTheMiddleOfARequestIsDroppedSilently() throws Exception {
    List<String> printed = linesDuring(() -> {
      Client c = new Client(rt.invokePort);
      c.send(INVOKE + "Content-Length: 10\r\n\r\nabc");
      c.reset();
    });
    assertThat(printed).isEmpty();
  }

  @Test
  void answerTheServerCannotEncodeIsA500AndOneLineOfRemark(@TempDir Path dir) throws Exception {
    try (RuntimeProcess http = started(dir, "FC_FUNCTION_HANDLER", "wsgi_app.app", "FC_HANDLER_TYPE", "http")) {
      try (Client c = new Client(http.invokePort)) {
        Answer a = c.send("GET /bad-header HTTP/1.1\r\nHost: fc\r\n\r\n").answer();
        assertRefusal(a, 500);
        assertThat(a.header("x-fc-error-type")).isEqualTo("InternalError");
        assertThat(a.json().path("errorType").asText()).isEqualTo("InternalError");
        assertThat(a.text()).doesNotContain("unsendable");
      }
      assertThat(exchange(http.invokePort, "GET / HTTP/1.1\r\nHost: fc\r\n\r\n").status()).isEqualTo(201);
      http.sigterm();
      assertThat(http.awaitExit()).isZero();
      assertThat(http.lines()).noneMatch(l -> l.contains(TRACEBACK));
      assertThat(http.lines().stream().filter(l -> l.startsWith("fc-runtime: ")))
          .singleElement().asString()
          .startsWith("fc-runtime: error while serving GET on port " + http.invokePort + ": UnicodeEncodeError: ");
    }
  }

  // ---- a burst of connections ---------------------------------------------------------------------

  @Test
  void burstOfKeepAliveConnectionsIsQueuedNotReset() throws Exception {
    int clients = Math.min(200, somaxconn() - 1);
    assertThat(clients).as("net.core.somaxconn leaves room for a burst").isGreaterThan(100);
    List<Client> connected = new ArrayList<>();
    // Stopped, the runtime accepts nothing: every connection must wait in the kernel's listen backlog (with
    // http.server's 5, the seventh connect would time out).
    rt.signal("STOP");
    try {
      for (int i = 0; i < clients; i++) {
        try {
          connected.add(new Client(rt.invokePort));
        } catch (SocketTimeoutException notQueued) {
          throw new AssertionError("connection " + (i + 1) + " of " + clients + " was not queued", notQueued);
        }
      }
    } finally {
      rt.signal("CONT");
      if (connected.size() < clients) {
        closeAll(connected);
      }
    }
    try {
      for (int i = 0; i < clients; i++) {
        connected.get(i).send(post("burst", "x-fc-request-id: burst-" + i));
      }
      for (int i = 0; i < clients; i++) {
        Answer a = connected.get(i).answer();
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("requestId").asText()).isEqualTo("burst-" + i);
        connected.get(i).send(post("again", "x-fc-request-id: again-" + i)); // at once: before the idle timeout
      }
      for (int i = 0; i < clients; i++) {
        assertThat(connected.get(i).answer().header("x-fc-request-id")).isEqualTo("again-" + i);
      }
    } finally {
      closeAll(connected);
    }
  }

  /** The kernel's cap on a listen backlog. Read in one read: a sysctl file ends after a first partial read. */
  private static int somaxconn() throws IOException {
    Path limit = Path.of("/proc/sys/net/core/somaxconn");
    if (!Files.exists(limit)) {
      return 4096;
    }
    try (BufferedReader reader = Files.newBufferedReader(limit)) {
      return Integer.parseInt(reader.readLine().strip());
    }
  }

  private static void closeAll(List<Client> clients) throws IOException {
    for (Client c : clients) {
      c.close();
    }
  }

  // ---- request ids --------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("keptRequestIds")
  void validRequestIdIsKept(String id) throws Exception {
    List<String> printed = linesDuring(() -> {
      Answer a = exchange(rt.invokePort, post("id", "x-fc-request-id: " + id));
      assertThat(a.header("x-fc-request-id")).isEqualTo(id);
      assertThat(a.json().path("requestId").asText()).isEqualTo(id);
    });
    assertThat(printed).containsExactly("FC Invoke Start RequestId: " + id, "FC Invoke End RequestId: " + id);
  }

  static Stream<String> keptRequestIds() {
    return Stream.of("1-65e59b07-1520da26-bf73bbb91b69", "a", "Az09._:-", "k".repeat(128));
  }

  /** A request id the runtime must not take; the header lines carrying it, and what must never be printed. */
  record BadId(String what, String headerLines, String neverPrinted) {
    @Override
    public String toString() {
      return what;
    }
  }

  static BadId badId(String what, String value) {
    return new BadId(what, "x-fc-request-id: " + value, value.isEmpty() ? null : value);
  }

  static Stream<BadId> replacedRequestIds() {
    return Stream.of(
        badId("empty", ""),
        badId("FC's failure marker", "forged, Error: Unhandled function error"),
        badId("129 characters", "n".repeat(129)),
        badId("8000 characters", "m".repeat(8000)),
        badId("a space", "with space"),
        badId("a tab", "with\ttab"),
        badId("a slash", "with/slash"),
        badId("a semicolon", "with;semicolon"),
        badId("a non-ASCII letter", "caf\u00e9-id"),
        new BadId("given twice", "x-fc-request-id: twice-1\r\nx-fc-request-id: twice-2", "twice-"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("replacedRequestIds")
  void invalidRequestIdIsReplacedByAUuid(BadId bad) throws Exception {
    String[] made = new String[1];
    List<String> printed = linesDuring(() -> {
      Answer a = exchange(rt.invokePort, post("id", bad.headerLines().split("\r\n")));
      assertThat(a.status()).isEqualTo(200);
      made[0] = a.header("x-fc-request-id");
      assertThat(made[0]).matches(RuntimeProcess.UUID);
      assertThat(a.json().path("requestId").asText()).isEqualTo(made[0]);
    });
    assertThat(printed).containsExactly("FC Invoke Start RequestId: " + made[0], "FC Invoke End RequestId: " + made[0]);
    if (bad.neverPrinted() != null) {
      assertThat(rt.lines()).noneMatch(l -> l.contains(bad.neverPrinted()));
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  interface Exchange {
    void run() throws Exception;
  }

  /**
   * Runs the exchange between two marker invocations, each awaited in the output, and returns what the runtime
   * printed in between: nothing else can have been printed then, since the tests run one at a time.
   */
  static List<String> linesDuring(Exchange exchange) throws Exception {
    String mark = "mark-" + MARKS.incrementAndGet();
    invokeAndAwaitEnd(mark + "-before");
    exchange.run();
    invokeAndAwaitEnd(mark + "-after");
    List<String> lines = rt.lines();
    int from = lines.indexOf("FC Invoke End RequestId: " + mark + "-before");
    int to = lines.indexOf("FC Invoke Start RequestId: " + mark + "-after");
    assertThat(from).isNotNegative().isLessThan(to);
    return lines.subList(from + 1, to);
  }

  static void invokeAndAwaitEnd(String id) throws IOException {
    assertThat(exchange(rt.invokePort, post("mark", "x-fc-request-id: " + id)).status()).isEqualTo(200);
    rt.awaitLine(Pattern.compile(Pattern.quote("FC Invoke End RequestId: " + id)));
  }

  static String post(String body, String... headerLines) {
    StringBuilder request = new StringBuilder(INVOKE);
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return request.append("Content-Length: ").append(body.getBytes(ISO_8859_1).length).append("\r\n\r\n")
        .append(body).toString();
  }

  static Answer exchange(int port, String request) throws IOException {
    try (Client c = new Client(port)) {
      return c.send(request).answer();
    }
  }

  static void assertEcho(JsonNode echo, byte[] body) throws NoSuchAlgorithmException {
    assertThat(echo.path("length").asInt()).isEqualTo(body.length);
    assertThat(echo.path("sha256").asText())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
  }

  /** One answer as it came: status line, headers (names in lower case), body. */
  record Answer(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }

    String text() {
      return new String(body, UTF_8);
    }

    JsonNode json() throws IOException {
      return RuntimeProcess.JSON.readTree(body);
    }
  }

  /** A raw HTTP/1.1 client on one connection; reads wait at most {@link RuntimeProcess#DEADLINE}. */
  static final class Client implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    Client(int port) throws IOException {
      this(port, 0);
    }

    Client(int port, int receiveBuffer) throws IOException {
      socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT_TIMEOUT.toMillis());
      socket.setSoTimeout((int) RuntimeProcess.DEADLINE.toMillis());
      in = new BufferedInputStream(socket.getInputStream());
    }

    Client send(String text) throws IOException {
      byte[] bytes = text.getBytes(ISO_8859_1);
      return send(bytes, 0, bytes.length);
    }

    Client send(byte[] bytes) throws IOException {
      return send(bytes, 0, bytes.length);
    }

    Client send(byte[] bytes, int offset, int length) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(bytes, offset, length);
      out.flush();
      return this;
    }

    /** Sends what the runtime takes: it may refuse and close before the whole request was written. */
    void offer(String text) {
      try {
        send(text);
      } catch (IOException refusedEarly) {
        // the answer tells
      }
    }

    boolean trySend(byte b) {
      try {
        send(new byte[] {b});
        return true;
      } catch (IOException closed) {
        return false;
      }
    }

    void endInput() throws IOException {
      socket.shutdownOutput();
    }

    /** Closes with a reset (RST) rather than an orderly end, as a client that crashed or timed out. */
    void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }

    boolean answerArriving() throws IOException {
      return in.available() > 0;
    }

    Answer answer() throws IOException {
      String statusLine = readLine();
      Matcher m = STATUS_LINE.matcher(statusLine);
      assertThat(m.matches()).as("a status line: %s", statusLine).isTrue();
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String line = readLine(); !line.isEmpty(); line = readLine()) {
        int colon = line.indexOf(':');
        headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(line.substring(colon + 1).strip());
      }
      int status = Integer.parseInt(m.group(1));
      List<String> length = headers.getOrDefault("content-length", List.of("0"));
      byte[] body = status == 100 ? new byte[0] : in.readNBytes(Integer.parseInt(length.get(0)));
      return new Answer(statusLine, status, headers, body);
    }

    private String readLine() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != -1; b = in.read()) {
        if (b == '\n') {
          String text = line.toString(ISO_8859_1);
          return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
        line.write(b);
      }
      throw new EOFException("the connection ended before a whole line; got " + line.toString(ISO_8859_1));
    }

    /** True when the runtime closed the connection (the read ends, or is reset) rather than sending more. */
    boolean closedByServer() throws IOException {
      try {
        return in.read() == -1;
      } catch (SocketException reset) {
        return true;
      }
    }

    long readToEnd() {
      long total = 0;
      byte[] buffer = new byte[1 << 16];
      try {
        for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
          total += n;
        }
      } catch (IOException reset) {
        // dropped by the runtime: what came until then is counted
      }
      return total;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
