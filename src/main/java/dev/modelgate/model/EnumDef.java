package dev.modelgate.model;

import java.util.List;
import java.util.Map;

/**
 * A GraphQL enum declared in the schema files; stored as the value's name, or, for a value with
 * {@code @map(name: "PG-13")}, as that name ({@code stored}: value → stored text, for the values
 * whose stored text is not their name: a database enum whose labels are not GraphQL names).
 */
public record EnumDef(String name, List<String> values, String description, Map<String, String> stored) {
    public EnumDef {
        values = List.copyOf(values);
        stored = Map.copyOf(stored);
    }

    public EnumDef(String name, List<String> values, String description) {
        this(name, values, description, Map.of());
    }

    /** The text a value is stored as. */
    public String storedAs(String value) {
        return stored.getOrDefault(value, value);
    }
}
