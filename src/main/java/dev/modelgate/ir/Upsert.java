package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;

import java.util.Map;

/**
 * Insert {@code values}, or when a row with the same values of the {@code conflict} fields (the
 * primary key, or a unique field) exists, set {@code update} on it.
 */
public record Upsert(Model model, Map<Field, Object> values, java.util.List<Field> conflict, Map<Field, Object> update) {
    public Upsert {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        update = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(update));
        conflict = java.util.List.copyOf(conflict);
    }
}
