package dev.modelgate.ir;

import dev.modelgate.error.GatewayException;
import dev.modelgate.model.Field;
import dev.modelgate.model.Relation;
import dev.modelgate.model.SqlField;
import graphql.language.SourceLocation;
import graphql.schema.GraphQLOutputType;

import java.util.List;
import java.util.Map;

/**
 * One field of a planned operation: what it reads or writes, as IR (row filters of the
 * request's role included), and the fields below it. A plan is plain data, built before any
 * SQL runs and shared by every request with the same document, role and variables; what a
 * request loads is kept by the executor, never here.
 */
public sealed interface FieldPlan {
    /** Where the field's value goes in the response. */
    Out out();

    /** The fields selected below this one (none for a scalar). */
    default List<FieldPlan> children() {
        return List.of();
    }

    /**
     * The field as the response sees it: key (alias or name), name, the type it is a field of,
     * its output type and its place in the document (for errors).
     */
    record Out(String key, String name, String parentType, GraphQLOutputType type, SourceLocation location) {
    }

    /** {@code __typename}. */
    record Typename(Out out) implements FieldPlan {
    }

    /** A value read off the parent object: a column of a row, a part of an aggregate or mutation result. */
    record Property(Out out, List<FieldPlan> children) implements FieldPlan {
    }

    /** A root list ({@code one} false) or a lookup by key ({@code one} true). */
    record Rows(Out out, Select select, boolean one, List<FieldPlan> children) implements FieldPlan {
    }

    /** A root aggregate over the rows the role may read. */
    record Aggregates(Out out, Aggregate aggregate, List<FieldPlan> children) implements FieldPlan {
    }

    /**
     * A relationship: for every parent row of the level, its related rows, loaded for the whole
     * level by one statement ({@code select} is partitioned by the values of the parent's
     * {@code parentKey} fields: one, or several for a composite key).
     */
    record Related(Out out, Relation relation, List<Field> parentKey, Select select, List<FieldPlan> children) implements FieldPlan {
    }

    /** Aggregates over each parent's related rows, one statement for the whole level. */
    record RelatedAggregates(Out out, Relation relation, List<Field> parentKey, Aggregate aggregate, List<FieldPlan> children)
            implements FieldPlan {
    }

    /**
     * A field bound to a hand-written statement, with its arguments as parameters; {@code parentKey}
     * is set on a model's field, whose statement receives the parent row ({@code batch}: the keys
     * of a whole level).
     */
    record Sql(Out out, SqlField field, Map<String, Object> args, List<Field> parentKey, List<FieldPlan> children)
            implements FieldPlan {
        public Sql {
            args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
        }
    }

    /** A generated mutation field. */
    record Write(Out out, WritePlan write, List<FieldPlan> children) implements FieldPlan {
    }

    /** Introspection ({@code __schema}, {@code __type}): graphql-java answers it. */
    record Introspection(Out out) implements FieldPlan {
    }

    /**
     * A field whose arguments could not be planned (bad input, a limit, a permission): it is
     * answered with this error wherever it appears, and no statement runs for it or below it.
     */
    record Failed(Out out, GatewayException error) implements FieldPlan {
    }
}
