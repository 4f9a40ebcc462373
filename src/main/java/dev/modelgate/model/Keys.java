package dev.modelgate.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Key values, the same everywhere a row is found by key (lookups, DataLoader keys, writes): the
 * field's value for a one-field key, the list of the fields' values, in key order, for a
 * composite one. Lists compare by their parts, so either works as a map key.
 */
public final class Keys {
    private Keys() {
    }

    /** The key value of a row read by field name; null when any part is null (no related row). */
    public static Object of(Map<?, ?> row, List<Field> fields) {
        if (fields.size() == 1) {
            return row.get(fields.get(0).name());
        }
        Object[] parts = new Object[fields.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = row.get(fields.get(i).name());
            if (parts[i] == null) {
                return null;
            }
        }
        return List.of(parts);
    }

    /** The key value of a row of field values; null when any part is missing or null. */
    public static Object ofFields(Map<Field, ?> row, List<Field> fields) {
        if (fields.size() == 1) {
            return row.get(fields.get(0));
        }
        List<Object> parts = new ArrayList<>(fields.size());
        for (Field f : fields) {
            Object v = row.get(f);
            if (v == null) {
                return null;
            }
            parts.add(v);
        }
        return List.copyOf(parts);
    }

    /** The parts of a key value of {@code n} fields, in key order. */
    public static List<Object> parts(Object key, int n) {
        if (n == 1) {
            return java.util.Collections.singletonList(key);
        }
        List<?> parts = (List<?>) key;
        if (parts.size() != n) {
            throw new IllegalArgumentException("a key of " + n + " fields has " + parts.size() + " parts");
        }
        return List.copyOf(parts);
    }
}
