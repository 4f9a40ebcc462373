package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.Relation;

import java.util.List;

/** Order by {@code field}, reached from the selected model through the to-one relations of {@code path}. */
public record OrderTerm(List<Relation> path, Field field, SortOrder order) {
    public OrderTerm {
        path = List.copyOf(path);
    }
}
