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

    /** This field's case of {@code visitor}: every stage that handles fields handles every kind, or does not compile. */
    <R> R accept(Visitor<R> visitor);

    /** Whether graphql-java answers this field itself ({@code __schema}, {@code __type}). */
    default boolean introspection() {
        return false;
    }

    /** The error this field was planned as, or null when it planned. */
    default GatewayException planError() {
        return null;
    }

    /**
     * One case per kind of field. A new kind is a new record and a new method here, and the
     * compiler then names every stage (planner, executor) that must say what it does with it.
     */
    interface Visitor<R> {
        R typename(Typename f);

        R property(Property f);

        R rows(Rows f);

        R aggregates(Aggregates f);

        R related(Related f);

        R relatedAggregates(RelatedAggregates f);

        R sql(Sql f);

        R write(Write f);

        R introspection(Introspection f);

        R failed(Failed f);

        R nodeId(NodeId f);

        R groups(Groups f);

        R relatedGroups(RelatedGroups f);

        R connection(Connection f);

        R relatedConnection(RelatedConnection f);
    }

    /**
     * The field as the response sees it: key (alias or name), name, the type it is a field of,
     * its output type and its place in the document (for errors).
     */
    record Out(String key, String name, String parentType, GraphQLOutputType type, SourceLocation location) {
    }

    /** {@code __typename}. */
    record Typename(Out out) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.typename(this);
        }
    }

    /** A value read off the parent object: a column of a row, a part of an aggregate or mutation result. */
    record Property(Out out, List<FieldPlan> children) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.property(this);
        }
    }

    /** A root list ({@code one} false) or a lookup by key ({@code one} true). */
    record Rows(Out out, Select select, boolean one, List<FieldPlan> children) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.rows(this);
        }
    }

    /** A root aggregate over the rows the role may read. */
    record Aggregates(Out out, Aggregate aggregate, List<FieldPlan> children) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.aggregates(this);
        }
    }

    /**
     * A relationship: for every parent row of the level, its related rows, loaded for the whole
     * level by one statement ({@code select} is partitioned by the values of the parent's
     * {@code parentKey} fields: one, or several for a composite key).
     */
    record Related(Out out, Relation relation, List<Field> parentKey, Select select, List<FieldPlan> children) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.related(this);
        }
    }

    /** Aggregates over each parent's related rows, one statement for the whole level. */
    record RelatedAggregates(Out out, Relation relation, List<Field> parentKey, Aggregate aggregate, List<FieldPlan> children)
            implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.relatedAggregates(this);
        }
    }

    /**
     * A field bound to a hand-written statement, with its arguments as parameters; {@code parentKey}
     * is set on a model's field, whose statement receives the parent row ({@code batch}: the keys
     * of a whole level).
     */
    record Sql(Out out, SqlField field, Map<String, Object> args, List<Field> parentKey, List<FieldPlan> children)
            implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.sql(this);
        }
        public Sql {
            args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
        }
    }

    /** A generated mutation field; {@code reading}: the columns the rows written are read back with for the response. */
    record Write(Out out, WritePlan write, List<Field> reading, List<FieldPlan> children) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.write(this);
        }
    }

    /** A root grouping ({@code <plural>GroupBy}): its groups, one statement. */
    record Groups(Out out, Group group, List<FieldPlan> children) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.groups(this);
        }
    }

    /** Each parent's related rows grouped ({@code <relation>GroupBy}), one statement for the whole level. */
    record RelatedGroups(Out out, Relation relation, List<Field> parentKey, Group group, List<FieldPlan> children) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.relatedGroups(this);
        }
    }

    /**
     * A root cursor connection ({@code <plural>Connection}): one page of rows ({@code select}
     * reads one row more than the page, to tell whether another follows), and their count when
     * {@code totalCount} is asked for ({@code total}, else null).
     */
    record Connection(Out out, Page page, Select select, Aggregate total, List<FieldPlan> children) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.connection(this);
        }
    }

    /** A page of each parent's related rows ({@code <relation>Connection}), one statement for the whole level (and one for the counts). */
    record RelatedConnection(Out out, Relation relation, List<Field> parentKey, Page page, Select select, Aggregate total,
                             List<FieldPlan> children) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.relatedConnection(this);
        }
    }

    /** A row's global id ({@code nodeId}): the model's name and its key, read off the row. */
    record NodeId(Out out, dev.modelgate.model.Model model) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.nodeId(this);
        }
    }

    /** Introspection ({@code __schema}, {@code __type}): graphql-java answers it. */
    record Introspection(Out out) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.introspection(this);
        }

        @Override
        public boolean introspection() {
            return true;
        }
    }

    /**
     * A field whose arguments could not be planned (bad input, a limit, a permission): it is
     * answered with this error wherever it appears, and no statement runs for it or below it.
     */
    record Failed(Out out, GatewayException error) implements FieldPlan {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.failed(this);
        }

        @Override
        public GatewayException planError() {
            return error;
        }
    }
}
