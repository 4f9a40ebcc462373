package dev.modelgate.api;

import dev.modelgate.model.Model;
import dev.modelgate.model.Relation;
import dev.modelgate.model.SqlField;

/**
 * What a field of the derived API does, recorded by the schema builder for each field it
 * derives and read by the planner: the one list of field kinds. A field with no binding is a
 * plain property of its parent object (a column, a part of an aggregate or mutation result).
 */
public sealed interface Binding {
    /** {@code cities(where, orderBy, limit, offset)} on Query. */
    record Rows(Model model) implements Binding {
    }

    /** {@code city(id)} on Query. */
    record ByKey(Model model) implements Binding {
    }

    /** {@code citiesAggregate(where)} on Query. */
    record Aggregate(Model model) implements Binding {
    }

    /** A relationship field: the related row (to-one) or rows (to-many) of each parent. */
    record Related(Relation relation) implements Binding {
    }

    /** {@code <relation>Aggregate(where)}: aggregates over each parent's related rows. */
    record RelatedAggregate(Relation relation) implements Binding {
    }

    /** {@code citiesGroupBy(by, truncate, where, having, orderBy, limit, offset)} on Query. */
    record GroupBy(Model model) implements Binding {
    }

    /** {@code <relation>GroupBy(…)}: each parent's related rows, grouped. */
    record RelatedGroupBy(Relation relation) implements Binding {
    }

    /** {@code citiesConnection(where, orderBy, first, after, last, before)} on Query. */
    record Connection(Model model) implements Binding {
    }

    /** {@code <relation>Connection(…)}: a page of each parent's related rows. */
    record RelatedConnection(Relation relation) implements Binding {
    }

    /** A generated mutation field. */
    record Write(Model model, MutationKind kind) implements Binding {
    }

    /** A field bound to a hand-written statement ({@code @sql}). */
    record Sql(SqlField field) implements Binding {
    }

    /** {@code Query.node(nodeId:)}: the row a global id names, of whichever model it names. */
    record Node() implements Binding {
    }

    /** A model's {@code nodeId}: its global id, made from its key. */
    record NodeId(Model model) implements Binding {
    }

    /** The key bindings are filed under: {@code Type.field}. */
    static String key(String type, String field) {
        return type + "." + field;
    }
}
