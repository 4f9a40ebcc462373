package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;

import java.util.Map;

/** Insert {@code values}, or when a row with the same {@code conflict} value exists, set {@code update} on it. */
public record Upsert(Model model, Map<Field, Object> values, Field conflict, Map<Field, Object> update) {
    public Upsert {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        update = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(update));
    }
}
