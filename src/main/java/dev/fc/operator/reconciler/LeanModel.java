package dev.fc.operator.reconciler;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Makes a cached object graph of Kubernetes model objects smaller without changing what it says: every model object
 * (fabric8's and the operator's API classes) carries an {@code additionalProperties} map for unknown JSON fields,
 * nearly always empty, 56 bytes each, some 30 per function in the caches; an empty one is replaced by one shared
 * immutable empty map. Other empty list and map fields (a deserialized object's unset finalizers, owner references,
 * labels; an empty status list) become the shared immutable empty list or map: some 40 ArrayLists per function
 * before. String fields whose values repeat across objects (named by the caller: a namespace, a condition's type and
 * reason) get one shared copy of each value.
 *
 * <p>Only for objects the caches keep, which nothing changes: a reconcile gets a copy of its FunctionInstance
 * ({@link CacheKeepingCloner}) and reads pods, ConfigMaps and Services only; JSON deserialization, the one writer of
 * unknown fields, fills new objects.
 */
final class LeanModel {
  private static final List<Object> EMPTY_LIST = List.of();
  private static final Map<Object, Object> EMPTY_MAP = Map.of();
  private static final List<String> MODEL_PACKAGES = List.of("io.fabric8.kubernetes.api.model", "dev.fc.operator.api");
  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      return Shape.of(type);
    }
  };

  private LeanModel() {}

  /**
   * @param sharedFields names of String fields whose values repeat across objects
   * @param share gives the one shared copy of a value
   */
  static <T> T compact(T root, Set<String> sharedFields, UnaryOperator<String> share) {
    walk(root, sharedFields, share, Collections.newSetFromMap(new IdentityHashMap<>()));
    return root;
  }

  private static void walk(Object object, Set<String> sharedFields, UnaryOperator<String> share, Set<Object> seen) {
    if (object == null || !seen.add(object)) {
      return;
    }
    if (object instanceof Collection<?> collection) {
      collection.forEach(value -> walk(value, sharedFields, share, seen));
      return;
    }
    if (object instanceof Map<?, ?> map) {
      map.values().forEach(value -> walk(value, sharedFields, share, seen));
      return;
    }
    if (!isModel(object.getClass())) {
      return;
    }
    Shape shape = SHAPES.get(object.getClass());
    try {
      if (shape.additionalProperties != null) {
        Object current = shape.additionalProperties.get(object);
        if (current instanceof Map<?, ?> map && map.isEmpty() && current != EMPTY_MAP) {
          shape.additionalProperties.set(object, EMPTY_MAP);
        }
      }
      for (Field field : shape.strings) {
        if (sharedFields.contains(field.getName())) {
          String value = (String) field.get(object);
          if (value != null) {
            field.set(object, share.apply(value));
          }
        }
      }
      for (Field field : shape.references) {
        Object value = field.get(object);
        if (value instanceof List<?> list && list.isEmpty() && value != EMPTY_LIST) {
          field.set(object, EMPTY_LIST);
        } else if (value instanceof Map<?, ?> map && map.isEmpty() && value != EMPTY_MAP) {
          field.set(object, EMPTY_MAP);
        } else {
          walk(value, sharedFields, share, seen);
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot compact " + object.getClass().getName(), e);
    }
  }

  private static boolean isModel(Class<?> type) {
    String name = type.getName();
    return MODEL_PACKAGES.stream().anyMatch(name::startsWith);
  }

  /** A model class's fields, its superclasses' included: the extra-properties map, String fields, and the others. */
  private record Shape(Field additionalProperties, List<Field> strings, List<Field> references) {
    static Shape of(Class<?> type) {
      Field additional = null;
      List<Field> strings = new ArrayList<>();
      List<Field> references = new ArrayList<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field field : c.getDeclaredFields()) {
          int modifiers = field.getModifiers();
          if (Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers) || field.getType().isPrimitive()
              || field.getType().isEnum() || Number.class.isAssignableFrom(field.getType())
              || field.getType() == Boolean.class) {
            continue;
          }
          if (!field.trySetAccessible()) {
            continue;
          }
          if (field.getName().equals("additionalProperties") && Map.class.isAssignableFrom(field.getType())) {
            additional = hasSetter(type) ? field : null;
          } else if (field.getType() == String.class) {
            strings.add(field);
          } else {
            references.add(field);
          }
        }
      }
      return new Shape(additional, List.copyOf(strings), List.copyOf(references));
    }

    /** Only where the class itself declares the map settable: its getter then returns the field as it is. */
    private static boolean hasSetter(Class<?> type) {
      for (Method method : type.getMethods()) {
        if (method.getName().equals("setAdditionalProperties") && method.getParameterCount() == 1) {
          return true;
        }
      }
      return false;
    }
  }
}
