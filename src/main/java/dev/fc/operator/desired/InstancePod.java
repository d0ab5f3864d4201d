package dev.fc.operator.desired;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.random.RandomGenerator;

/**
 * One instance's pod, made from the template when it is created, by the operator and by {@code local} alike:
 * its name (the template's generateName plus five random characters, as the API server would choose them)
 * and its own {@link LifecycleToken}. Neither is part of the template, nor of its hash.
 */
public final class InstancePod {
  private static final String NAME_SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  private static final int NAME_SUFFIX_LENGTH = 5;

  private InstancePod() {}

  /** @param random a source fit for secrets (a {@link java.security.SecureRandom}) */
  public static Pod issue(Pod template, RandomGenerator random) {
    Pod named = new PodBuilder(template)
        .editMetadata().withName(name(template, random)).withGenerateName(null).endMetadata()
        .build();
    return LifecycleToken.issue(named, LifecycleToken.newToken(random));
  }

  private static String name(Pod template, RandomGenerator random) {
    String prefix = template.getMetadata().getGenerateName() != null
        ? template.getMetadata().getGenerateName() : template.getMetadata().getName() + "-";
    StringBuilder name = new StringBuilder(prefix);
    for (int i = 0; i < NAME_SUFFIX_LENGTH; i++) {
      name.append(NAME_SUFFIX_CHARS.charAt(random.nextInt(NAME_SUFFIX_CHARS.length())));
    }
    return name.toString();
  }
}
