package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;

import java.util.List;

/**
 * Rows of one model matching {@code where} (the role's read filter included), grouped by the
 * values of {@code by}, each group with the aggregates {@code terms}; groups kept by
 * {@code having} (a filter of {@link BoolExp.AggregateCompare}s), in {@code orderBy}'s order
 * (then by the keys), paged by limit/offset. Partitioned: the same per parent row, one
 * statement for all of a level's parents.
 */
public record Group(Model model, BoolExp where, List<Key> by, List<Aggregate.Term> terms, BoolExp having,
                   List<Order> orderBy, Long limit, Long offset, Partition partition) {
    public Group {
        by = List.copyOf(by);
        terms = List.copyOf(terms);
        orderBy = List.copyOf(orderBy);
    }

    /** A field the rows are grouped by, its value truncated when {@code truncation} is set (Date and DateTime only). */
    public record Key(Field field, Truncation truncation) {
    }

    /** One ORDER BY item of the groups: a key, or an aggregate (exactly one of the two). */
    public record Order(Key key, Aggregate.Term term, SortOrder order) {
    }

    /** The same grouping, per parent row of {@code p}. */
    public Group withPartition(Partition p) {
        return new Group(model, where, by, terms, having, orderBy, limit, offset, p);
    }
}
