package io.tradeflow.core.testing;

import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.RingEvent;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every instance field of {@link RingEvent}, found by reflection, so a field added later is covered
 * by the tests that use this without anyone remembering to list it.
 */
public final class RingEventFields {
    private RingEventFields() {
    }

    /** The instance fields of {@link RingEvent}, in declaration order. */
    public static List<Field> all() {
        List<Field> fields = new ArrayList<>();
        for (Field f : RingEvent.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                fields.add(f);
            }
        }
        return fields;
    }

    /** {@code name=value} per field (one per line), values rendered by content, maps sorted by key. */
    public static String dump(RingEvent e, List<String> excluded) {
        StringBuilder out = new StringBuilder();
        for (Field f : all()) {
            if (!excluded.contains(f.getName())) {
                out.append(f.getName()).append('=').append(render(get(f, e))).append('\n');
            }
        }
        return out.toString();
    }

    public static Object get(Field f, Object target) {
        try {
            return f.get(target);
        } catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        if (value instanceof int[] ints) {
            return java.util.Arrays.toString(ints);
        }
        if (value instanceof AsciiField ascii) {
            return '"' + ascii.toString() + '"';
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, String> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(render(k), render(v)));
            return sorted.toString();
        }
        if (value instanceof Collection<?> items) {
            return items.stream().map(RingEventFields::render).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value.getClass().isRecord()) {
            StringBuilder out = new StringBuilder(value.getClass().getSimpleName()).append('(');
            RecordComponent[] components = value.getClass().getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                try {
                    out.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=')
                            .append(render(components[i].getAccessor().invoke(value)));
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
            return out.append(')').toString();
        }
        return String.valueOf(value);
    }
}
