package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;

import java.util.List;

/**
 * Deletes rows of a table whose {@code columns} hold one of {@code keys} (key values over
 * {@code keyFields}, which type them): a model's rows, or join-table links.
 */
public record Delete(String table, List<String> columns, List<Field> keyFields, List<Object> keys) {
    public Delete {
        columns = List.copyOf(columns);
        keyFields = List.copyOf(keyFields);
        keys = List.copyOf(keys);
    }

    public static Delete byPrimaryKey(Model m, List<Object> keys) {
        return new Delete(m.table(), m.key().stream().map(Field::column).toList(), m.key(), keys);
    }
}
