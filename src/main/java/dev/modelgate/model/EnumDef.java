package dev.modelgate.model;

import java.util.List;

/** A GraphQL enum declared in the schema files; stored as the value's name. */
public record EnumDef(String name, List<String> values, String description) {
    public EnumDef {
        values = List.copyOf(values);
    }
}
