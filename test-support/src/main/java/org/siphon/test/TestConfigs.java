package org.siphon.test;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * A component's typed configuration (its nested annotation interface) for calling its constructor
 * or {@code activate()} in a test: every attribute its default, but those given by name.
 */
public final class TestConfigs {

    private TestConfigs() {
    }

    /**
     * {@code type} with {@code overrides} as name/value pairs, names as in the interface
     * ({@code "max__messages", 10}); an unknown name or a value of the wrong type fails at once.
     */
    public static <A> A of(Class<A> type, Object... overrides) {
        if (overrides.length % 2 != 0) {
            throw new IllegalArgumentException("overrides come in name/value pairs");
        }
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < overrides.length; i += 2) {
            String name = (String) overrides[i];
            try {
                Class<?> t = type.getMethod(name).getReturnType();
                Object v = overrides[i + 1];
                if (v != null && !box(t).isInstance(v)) {
                    throw new IllegalArgumentException(type.getSimpleName() + "." + name + " is a " + t.getSimpleName()
                            + ", not " + v.getClass().getSimpleName());
                }
                values.put(name, v);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getSimpleName() + " has no attribute " + name, e);
            }
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, m, args) -> {
            switch (m.getName()) {
                case "annotationType": return type;
                case "toString": return type.getSimpleName() + values;
                case "hashCode": return System.identityHashCode(proxy);
                case "equals": return proxy == args[0];
                default: return values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue();
            }
        }));
    }

    private static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return t == int.class ? Integer.class : t == long.class ? Long.class : t == boolean.class ? Boolean.class
                : t == double.class ? Double.class : t == float.class ? Float.class : t == short.class ? Short.class
                : t == byte.class ? Byte.class : Character.class;
    }
}
