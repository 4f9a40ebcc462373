package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;

import java.util.List;

/**
 * Rows of one model. {@code partition} may be null (a root list); limit/offset may be null.
 * {@code columns} are the fields read, in the model's order (null: every field): the planner
 * narrows them to what the selection and the level below need.
 */
public record Select(Model model, BoolExp where, List<OrderTerm> orderBy, Long limit, Long offset, Partition partition,
                     List<Field> columns) {
    public Select {
        orderBy = List.copyOf(orderBy);
        columns = columns == null ? model.fields() : List.copyOf(columns);
    }

    /** Every field of the model. */
    public Select(Model model, BoolExp where, List<OrderTerm> orderBy, Long limit, Long offset, Partition partition) {
        this(model, where, orderBy, limit, offset, partition, null);
    }

    /** The same select, restricted to other parent keys. */
    public Select withPartition(Partition p) {
        return new Select(model, where, orderBy, limit, offset, p, columns);
    }

    /** The same select, reading only {@code fields} (kept in the model's order). */
    public Select reading(java.util.Collection<Field> fields) {
        return new Select(model, where, orderBy, limit, offset, partition, model.fields().stream().filter(fields::contains).toList());
    }
}
