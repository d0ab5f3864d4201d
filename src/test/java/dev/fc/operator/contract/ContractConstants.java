package dev.fc.operator.contract;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;

/** The Java side of the contract as the mirror tests read it: a class's public static final strings. */
final class ContractConstants {
  private ContractConstants() {}

  /** Field name to value, of every public static final String of {@code type}. */
  static Map<String, String> strings(Class<?> type) {
    Map<String, String> values = new TreeMap<>();
    for (Field field : type.getDeclaredFields()) {
      int mod = field.getModifiers();
      if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod) && field.getType() == String.class) {
        try {
          values.put(field.getName(), (String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return values;
  }
}
