package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeInvokeTest {

  @TempDir Path tmp;

  private RuntimeProcess started(Map<String, String> env) throws Exception {
    RuntimeProcess rt = RuntimeProcess.start(tmp, env);
    rt.awaitStartup();
    return rt;
  }

  @Test
  void handlerResultsOfEachTypeAndAnException() throws Exception {
    try (RuntimeProcess rt = started(env("FC_FUNCTION_HANDLER", "handlers.by_type"))) {
      HttpResponse<String> str = rt.invoke("str");
      assertThat(str.statusCode()).isEqualTo(200);
      assertThat(str.body()).isEqualTo("hello é");
      assertThat(str.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
      assertThat(str.headers().firstValue("x-fc-error-type")).isEmpty();

      HttpResponse<byte[]> bytes =
          rt.send(rt.invokeRequest("bytes"), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(bytes.body()).containsExactly(0x00, 0x01, 0xfe, 0xff);
      assertThat(bytes.headers().firstValue("content-type")).hasValue("application/octet-stream");

      HttpResponse<String> dict = rt.invoke("dict");
      assertThat(dict.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(RuntimeProcess.JSON.readTree(dict.body()))
          .isEqualTo(RuntimeProcess.JSON.readTree("{\"a\":1,\"b\":[true,null]}"));

      HttpResponse<String> list = rt.invoke("list");
      assertThat(list.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(RuntimeProcess.JSON.readTree(list.body()))
          .isEqualTo(RuntimeProcess.JSON.readTree("[1,\"two\",{\"three\":3}]"));

      HttpResponse<String> err = rt.invoke("raise", "x-fc-request-id", "req-err");
      assertThat(err.statusCode()).isEqualTo(200);
      assertThat(err.headers().firstValue("x-fc-error-type")).hasValue("UnhandledInvocationError");
      assertThat(err.headers().firstValue("x-fc-request-id")).hasValue("req-err");
      JsonNode body = RuntimeProcess.JSON.readTree(err.body());
      assertThat(body.path("errorMessage").asText()).isEqualTo("handler broke");
      assertThat(body.path("errorType").asText()).isEqualTo("ValueError");
      assertThat(body.path("stackTrace").isArray()).isTrue();
      assertThat(body.path("stackTrace").get(0).asText())
          .contains("handlers.py", "in by_type", "raise ValueError(\"handler broke\")");
      assertThat(rt.lines())
          .contains("FC Invoke End RequestId: req-err, Error: Unhandled function error");
      // the instance goes on serving after a handler error
      assertThat(rt.invoke("str").body()).isEqualTo("hello é");
    }
  }

  @Test
  void contextCarriesFcFieldNames() throws Exception {
    try (RuntimeProcess rt =
        started(env("FC_FUNCTION_HANDLER", "handlers.context_fields", "FC_INITIALIZER_HANDLER", "handlers.initialize",
            "FC_INITIALIZATION_TIMEOUT", "7", "FC_FUNCTION_MEMORY_SIZE", "256", "FC_TIMEOUT", "5",
            "FC_REGION", "cn-test", "FC_ACCOUNT_ID", "1234", "FC_INSTANCE_ID", "fixture-fn-abc",
            "ALIBABA_CLOUD_ACCESS_KEY_ID", "ak", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sk",
            "ALIBABA_CLOUD_SECURITY_TOKEN", "token"))) {
      JsonNode ctx = RuntimeProcess.JSON.readTree(rt.invoke("", "x-fc-request-id", "ctx-1").body());
      assertThat(ctx).isEqualTo(RuntimeProcess.JSON.readTree("""
          {"request_id": "ctx-1",
           "function": {"name": "fixture-fn", "handler": "handlers.context_fields", "memory": 256,
                        "timeout": 5, "initializer": "handlers.initialize", "initialization_timeout": 7},
           "service": {"name": "fixture-ns", "qualifier": "LATEST", "log_project": "", "log_store": "",
                       "version_id": ""},
           "region": "cn-test", "account_id": "1234", "instance_id": "fixture-fn-abc",
           "credentials": {"access_key_id": "ak", "access_key_secret": "sk", "security_token": "token"},
           "logger_is_get_logger": true}
          """));
    }
  }

  @Test
  void credentialsAreEmptyWithoutTheVariables() throws Exception {
    try (RuntimeProcess rt = started(env("FC_FUNCTION_HANDLER", "handlers.context_fields"))) {
      JsonNode ctx = RuntimeProcess.JSON.readTree(rt.invoke("").body());
      assertThat(ctx.path("credentials"))
          .isEqualTo(RuntimeProcess.JSON.readTree(
              "{\"access_key_id\":\"\",\"access_key_secret\":\"\",\"security_token\":\"\"}"));
      assertThat(ctx.path("function").path("initializer").isNull()).isTrue();
      assertThat(ctx.path("function").path("initialization_timeout").isNull()).isTrue();
    }
  }

  @Test
  void httpFunctionIsServedThroughWsgi() throws Exception {
    try (RuntimeProcess rt =
        started(env("FC_FUNCTION_HANDLER", "wsgi_app.app", "FC_HANDLER_TYPE", "http"))) {
      HttpResponse<String> r = rt.send(rt.request(rt.invokePort, "/some/path?x=1&y=%C3%A9")
          .header("x-fc-request-id", "http-1")
          .header("X-Custom", "custom")
          .PUT(HttpRequest.BodyPublishers.ofString("payload"))
          .build());
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(r.headers().firstValue("x-app")).hasValue("yes");
      assertThat(r.headers().firstValue("x-fc-request-id")).hasValue("http-1");
      assertThat(RuntimeProcess.JSON.readTree(r.body())).isEqualTo(RuntimeProcess.JSON.readTree(
          "{\"method\":\"PUT\",\"path\":\"/some/path\",\"query\":\"x=1&y=%C3%A9\",\"body\":\"payload\","
              + "\"header\":\"custom\",\"request_uri\":\"http://127.0.0.1:" + rt.invokePort
              + "/some/path?x=1&y=%C3%A9\",\"server_name\":\"127.0.0.1\",\"request_id\":\"http-1\"}"));
      assertThat(rt.lines()).containsSubsequence(
          "FC Invoke Start RequestId: http-1", "FC Invoke End RequestId: http-1");

      HttpResponse<String> get = rt.send(rt.request(rt.invokePort, "/").GET().build());
      assertThat(get.statusCode()).isEqualTo(201);
      assertThat(RuntimeProcess.JSON.readTree(get.body()).path("method").asText()).isEqualTo("GET");

      HttpResponse<String> err = rt.send(rt.request(rt.invokePort, "/raise").GET().build());
      assertThat(err.statusCode()).isEqualTo(502);
      assertThat(err.headers().firstValue("x-fc-error-type")).hasValue("UnhandledInvocationError");
      JsonNode error = RuntimeProcess.JSON.readTree(err.body());
      assertThat(error.path("errorType").asText()).isEqualTo("KeyError");
      assertThat(error.path("stackTrace").get(0).asText()).contains("wsgi_app.py", "in app"); // no runtime frames
    }
  }
}
