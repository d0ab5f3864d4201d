package dev.fc.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reconciler writes a status only when it is not {@code equals} to the previous one, so a field left out
 * of {@code equals} is a change never written, and one left out of {@code hashCode} breaks the contract.
 * Every field of {@link FunctionInstanceStatus} and of every status type nested in it, found by reflection
 * (a field added later is checked too): two objects differing only in that field must be unequal.
 */
class StatusEqualityTest {
  private static final String API = FunctionInstanceStatus.class.getPackageName();

  /** FunctionInstanceStatus and the types of this package its fields hold, directly or in a list, transitively. */
  static Set<Class<?>> statusTypes() {
    Set<Class<?>> found = new LinkedHashSet<>();
    List<Class<?>> todo = new ArrayList<>(List.of(FunctionInstanceStatus.class));
    while (!todo.isEmpty()) {
      Class<?> type = todo.remove(0);
      if (!found.add(type)) {
        continue;
      }
      for (Field field : fields(type)) {
        for (Class<?> held : heldTypes(field.getGenericType())) {
          if (held.getPackageName().equals(API) && !held.isEnum()) {
            todo.add(held);
          }
        }
      }
    }
    return found;
  }

  static Stream<Arguments> everyField() {
    return statusTypes().stream().flatMap(type -> fields(type).stream()
        .map(field -> Arguments.of(type.getSimpleName() + "." + field.getName(), type, field)));
  }

  static Stream<Class<?>> everyType() {
    return statusTypes().stream();
  }

  @Test
  void theNestedStatusTypesAreFound() {
    assertThat(statusTypes()).contains(FunctionInstanceStatus.class, InstanceStatus.class, BackoffStatus.class,
        HookOutcome.class, ColdStart.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyField")
  void twoStatusesDifferingOnlyInThisFieldAreUnequal(String name, Class<?> type, Field field) throws Exception {
    Object one = filled(type, 1);
    Object other = filled(type, 1);
    field.set(other, value(field.getGenericType(), 2));
    assertThat(one).as("%s left out of equals", name).isNotEqualTo(other);
    assertThat(other).as("%s left out of equals", name).isNotEqualTo(one);
    assertThat(one.hashCode()).as("%s left out of hashCode", name).isNotEqualTo(other.hashCode());
    field.set(other, null);
    assertThat(one).as("%s set vs null", name).isNotEqualTo(other);
    assertThat(other).as("%s null vs set", name).isNotEqualTo(one);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyType")
  void twoStatusesWithEqualFieldsAreEqual(Class<?> type) throws Exception {
    Object one = filled(type, 1);
    Object other = filled(type, 1);
    assertThat(one).isNotSameAs(other).isEqualTo(other);
    assertThat(one.hashCode()).isEqualTo(other.hashCode());
    assertThat(one).isNotEqualTo(null).isNotEqualTo(new Object());
    Object empty = type.getDeclaredConstructor().newInstance();
    assertThat(empty).isEqualTo(type.getDeclaredConstructor().newInstance());
  }

  private static List<Field> fields(Class<?> type) {
    return Arrays.stream(type.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
        .peek(f -> f.setAccessible(true))
        .toList();
  }

  private static List<Class<?>> heldTypes(Type type) {
    if (type instanceof Class<?> c) {
      return List.of(c);
    }
    if (type instanceof ParameterizedType p) {
      List<Class<?>> held = new ArrayList<>();
      Arrays.stream(p.getActualTypeArguments()).forEach(a -> held.addAll(heldTypes(a)));
      return held;
    }
    return List.of();
  }

  /** An object of {@code type} with every field set, the values depending on {@code variant}. */
  private static Object filled(Class<?> type, int variant) throws Exception {
    Object object = type.getDeclaredConstructor().newInstance();
    for (Field field : fields(type)) {
      if (!Modifier.isFinal(field.getModifiers())) {
        field.set(object, value(field.getGenericType(), variant));
      }
    }
    return object;
  }

  private static Object value(Type type, int variant) throws Exception {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        return new ArrayList<>(List.of(value(args[0], variant)));
      }
      if (Map.class.isAssignableFrom(raw)) {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(value(args[0], variant), value(args[1], variant));
        return map;
      }
      throw new IllegalArgumentException("no test value for " + type + ": add one here");
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class || c == Object.class) {
      return "v" + variant;
    }
    if (c == Integer.class || c == int.class) {
      return variant;
    }
    if (c == Long.class || c == long.class) {
      return (long) variant;
    }
    if (c == Double.class || c == double.class) {
      return variant + 0.5;
    }
    if (c == Boolean.class || c == boolean.class) {
      return variant % 2 == 0;
    }
    if (c.isEnum()) {
      Object[] constants = c.getEnumConstants();
      return constants[variant % constants.length];
    }
    if (c.getName().startsWith("java.")) {
      throw new IllegalArgumentException("no test value for " + type + ": add one here");
    }
    return filled(c, variant); // a nested type: ours, or fabric8's Condition
  }
}
