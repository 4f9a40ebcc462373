package dev.modelgate.model;

import java.util.List;
import java.util.Optional;

/** One model: a GraphQL object type stored in one table. Immutable. */
public record Model(
        String name,
        String table,
        String plural,
        String description,
        List<Field> fields,
        List<Relation> relations) {

    public Model {
        fields = List.copyOf(fields);
        relations = List.copyOf(relations);
    }

    public Field id() {
        return fields.stream().filter(Field::id).findFirst().orElseThrow();
    }

    public Optional<Field> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    public Field requireField(String fieldName) {
        return field(fieldName).orElseThrow(() -> new IllegalArgumentException(name + " has no field " + fieldName));
    }

    public Optional<Relation> relation(String relationName) {
        return relations.stream().filter(r -> r.name().equals(relationName)).findFirst();
    }
}
