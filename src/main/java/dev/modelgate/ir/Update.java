package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;

import java.util.List;
import java.util.Map;

/** Sets and increments fields of the rows with the given primary keys. */
public record Update(Model model, Map<Field, Object> set, Map<Field, Object> inc, List<Object> keys) {
    public Update {
        set = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(set));
        inc = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inc));
        keys = List.copyOf(keys);
    }
}
