package dev.fc.operator.convert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FunctionNamesTest {
  @Test
  void validNamesStay() {
    assertThat(FunctionNames.isValid("emojipy")).isTrue();
    assertThat(FunctionNames.isValid("a-1")).isTrue();
    assertThat(FunctionNames.isValid("My_Func")).isFalse();
    assertThat(FunctionNames.isValid("a".repeat(64))).isFalse();
  }

  @Test
  void otherNamesBecomeTheNearestValidOne() {
    assertThat(FunctionNames.toValid("My_Func")).isEqualTo("my-func");
    assertThat(FunctionNames.toValid("hello__world.v2")).isEqualTo("hello-world-v2");
    assertThat(FunctionNames.toValid("_private_")).isEqualTo("private");
    assertThat(FunctionNames.toValid("123abc")).isEqualTo("fn-123abc");
    assertThat(FunctionNames.toValid("x".repeat(62) + "_y")).isEqualTo("x".repeat(62));
    assertThat(FunctionNames.toValid("函数")).isNull();
  }
}
