package dev.fc.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fc.operator.api.HandlerType;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvocationRouteTest {

  @Test
  void invokeFunctionTakesTheNamespaceFromItsHeaderElseTheDefault() {
    InvocationRoute route = InvocationRoute.parse("POST", "/2023-03-30/functions/f/invocations", null, null, "dflt");
    assertThat(route.key()).isEqualTo(new FunctionKey("dflt", "f"));
    assertThat(route.target(HandlerType.EVENT)).isEqualTo("/invoke");
    assertThat(route.target(HandlerType.HTTP)).isEqualTo("/");
    assertThat(InvocationRoute.parse("POST", "/2023-03-30/functions/f/invocations", "q=1", "team", "dflt").key())
        .isEqualTo(new FunctionKey("team", "f"));
    assertThatThrownBy(() -> InvocationRoute.parse("GET", "/2023-03-30/functions/f/invocations", null, null, "d"))
        .isInstanceOfSatisfying(GatewayError.Failure.class, f -> assertThat(f.error().status()).isEqualTo(405));
  }

  @Test
  void thePlainRouteKeepsMethodRestAndQuery() {
    InvocationRoute route = InvocationRoute.parse("DELETE", "/fn/ns/f/a/b%2Fc", "x=1&y=%20", null, "d");
    assertThat(route.key()).isEqualTo(new FunctionKey("ns", "f"));
    assertThat(route.method()).isEqualTo("DELETE");
    assertThat(route.target(HandlerType.HTTP)).isEqualTo("/a/b%2Fc?x=1&y=%20");
    assertThat(InvocationRoute.parse("GET", "/fn/ns/f", null, null, "d").target(HandlerType.HTTP)).isEqualTo("/");
    assertThat(InvocationRoute.parse("GET", "/fn/ns/f/", null, null, "d").target(HandlerType.HTTP)).isEqualTo("/");
  }

  @Test
  void anythingElseIsNotFoundNamingTheRoutes() {
    for (String path : List.of("/", "/fn/ns", "/fn//f", "/2023-03-30/functions//invocations", "/other")) {
      assertThatThrownBy(() -> InvocationRoute.parse("POST", path, null, null, "d"))
          .isInstanceOfSatisfying(GatewayError.Failure.class, f -> {
            assertThat(f.error().status()).isEqualTo(404);
            assertThat(f.error().message()).contains("/2023-03-30/functions/{name}/invocations", "/fn/");
          });
    }
  }

  @Test
  void requestIdsFollowTheRuntimesRule() {
    assertThat(RequestIds.of(List.of("1-65e59b07-1520da26-bf73bbb91b69"))).isEqualTo("1-65e59b07-1520da26-bf73bbb91b69");
    assertThat(RequestIds.of(List.of("a.b:c_d-e"))).isEqualTo("a.b:c_d-e");
    for (List<String> bad : List.of(List.<String>of(), List.of(""), List.of("with space"), List.of("a", "b"),
        List.of("x".repeat(129)))) {
      assertThat(RequestIds.of(bad)).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
    assertThat(RequestIds.of(null)).hasSize(36);
  }
}
