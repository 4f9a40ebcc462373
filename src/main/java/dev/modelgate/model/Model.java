package dev.modelgate.model;

import java.util.List;
import java.util.Optional;

/**
 * One model: a GraphQL object type stored in one table (or view). Immutable.
 *
 * @param readOnly a view, or a table served for reading only: no mutations
 */
public record Model(
        String name,
        String table,
        String plural,
        String description,
        List<Field> fields,
        List<Relation> relations,
        boolean readOnly) {

    public Model {
        fields = List.copyOf(fields);
        relations = List.copyOf(relations);
    }

    public Model(String name, String table, String plural, String description, List<Field> fields, List<Relation> relations) {
        this(name, table, plural, description, fields, relations, false);
    }

    /**
     * The primary key's fields, in field order: one, several (a composite key) or none (a keyless
     * view). A key value is the field's value for one field, else the list of the fields' values
     * ({@link Keys}).
     */
    public List<Field> key() {
        return fields.stream().filter(Field::id).toList();
    }

    /** Whether rows can be told apart by a key: lookups by key and mutations need one. */
    public boolean keyed() {
        return fields.stream().anyMatch(Field::id);
    }

    /** The one key field, for what only a single-field key has (a generated key); null otherwise. */
    public Field singleKey() {
        List<Field> key = key();
        return key.size() == 1 ? key.get(0) : null;
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
