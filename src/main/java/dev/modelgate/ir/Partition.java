package dev.modelgate.ir;

import dev.modelgate.model.Relation;

import java.util.List;

/**
 * Restricts a select to the rows related, through {@code relation}, to parents whose key
 * (see {@code Models.parentKey}) is one of {@code keys}. Each row comes back tagged with
 * its parent key; limit and offset then apply per parent.
 */
public record Partition(Relation relation, List<Object> keys) {
    public Partition {
        keys = List.copyOf(keys);
    }
}
