package dev.modelgate.model;

import java.util.List;
import java.util.Map;

/**
 * One {@code @allow} on a model: what {@code role} may do with its rows. Each filter is a
 * {@code <Model>Where} value as plain Java (maps, lists, strings, numbers, booleans), where
 * a string {@code "$session.NAME"} stands for a session variable; null means the operation
 * is not allowed, an empty map allows every row. {@code fields} null means every field.
 */
public record Allow(String model, String role, Map<String, Object> read, Map<String, Object> create,
                    Map<String, Object> update, Map<String, Object> delete, List<String> fields) {

    public enum Op { READ, CREATE, UPDATE, DELETE }

    public static final String SESSION_PREFIX = "$session.";

    public Map<String, Object> filter(Op op) {
        return switch (op) {
            case READ -> read;
            case CREATE -> create;
            case UPDATE -> update;
            case DELETE -> delete;
        };
    }

    /** Whether the role may see and write this field or relation. */
    public boolean shows(String fieldOrRelation) {
        return fields == null || fields.contains(fieldOrRelation);
    }
}
