package dev.fc.operator.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.http.HttpClient;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** fabric8 picks an HTTP client by ServiceLoader; with two of the same priority it picks one at random. */
class HttpClientFactoryTest {
  @Test
  void exactlyOneHttpClientIsOnTheClasspathTheJdkOne() {
    assertThat(ServiceLoader.load(HttpClient.Factory.class).stream().map(p -> p.type().getName()))
        .containsExactly("io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory");
  }
}
