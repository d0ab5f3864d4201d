package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VocabularyTest {
  @Test
  void equalValuesShareOneCopy() {
    Vocabulary words = new Vocabulary(10);
    String first = words.shared(new String("Running"));

    assertThat(words.shared(new String("Running"))).isSameAs(first);
    assertThat(words.shared(null)).isNull();
  }

  @Test
  void pastItsBoundANewValueKeepsItsOwnCopyAndKnownOnesAreStillShared() {
    Vocabulary words = new Vocabulary(2);
    String a = words.shared(new String("a"));
    words.shared(new String("b"));

    String c = new String("c");
    assertThat(words.shared(c)).isSameAs(c);
    assertThat(words.shared(new String("c"))).as("not added").isNotSameAs(c);
    assertThat(words.size()).isEqualTo(2);
    assertThat(words.shared(new String("a"))).isSameAs(a);
  }
}
