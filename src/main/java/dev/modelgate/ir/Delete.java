package dev.modelgate.ir;

import dev.modelgate.model.Model;

import java.util.List;

/** Deletes rows of a table whose {@code column} is one of {@code keys} (a model's rows, or join-table links). */
public record Delete(String table, String column, dev.modelgate.model.Field keyField, List<Object> keys) {
    public Delete {
        keys = List.copyOf(keys);
    }

    public static Delete byPrimaryKey(Model m, List<Object> keys) {
        return new Delete(m.table(), m.id().column(), m.id(), keys);
    }
}
