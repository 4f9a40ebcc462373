package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.FilterOp;
import dev.modelgate.model.Relation;

import java.util.ArrayList;
import java.util.List;

/** A row filter over one model. Values are GraphQL-level Java values; the SQL layer binds them. */
public sealed interface BoolExp {

    BoolExp TRUE = new Const(true);
    BoolExp FALSE = new Const(false);

    /**
     * A value not known until a request: {@code "$session.userId"} in a permission rule. A rule is
     * parsed once into a filter holding these, and each request binds its own values
     * ({@link #withValues}); a filter that reaches SQL holds none.
     */
    record SessionValue(String name) {
    }

    /**
     * The same filter with each compared value replaced by what {@code values} gives for it (the
     * field it is compared with, the value): one value for a comparison, any number in an IN list.
     * Every kind of filter says what it does with its values, so a new kind cannot be forgotten.
     */
    BoolExp withValues(java.util.function.BiFunction<Field, Object, List<Object>> values);

    record And(List<BoolExp> items) implements BoolExp {
        public And {
            items = List.copyOf(items);
        }

        public BoolExp withValues(java.util.function.BiFunction<Field, Object, List<Object>> values) {
            return new And(items.stream().map(i -> i.withValues(values)).toList());
        }
    }

    record Or(List<BoolExp> items) implements BoolExp {
        public Or {
            items = List.copyOf(items);
        }

        public BoolExp withValues(java.util.function.BiFunction<Field, Object, List<Object>> values) {
            return new Or(items.stream().map(i -> i.withValues(values)).toList());
        }
    }

    record Not(BoolExp item) implements BoolExp {
        public BoolExp withValues(java.util.function.BiFunction<Field, Object, List<Object>> values) {
            return new Not(item.withValues(values));
        }
    }

    /** {@code field op value} for an operator that takes one value or a pattern ({@link FilterOp.Operand#VALUE}, {@code TEXT}). */
    record Compare(Field field, FilterOp op, Object value) implements BoolExp {
        public BoolExp withValues(java.util.function.BiFunction<Field, Object, List<Object>> values) {
            List<Object> v = values.apply(field, value);
            if (v.size() != 1) {
                throw new IllegalArgumentException(field.name() + " " + op + " compares with one value, not " + v.size());
            }
            return new Compare(field, op, v.get(0));
        }
    }

    record In(Field field, List<Object> values, boolean negated) implements BoolExp {
        public In {
            values = List.copyOf(values);
        }

        public BoolExp withValues(java.util.function.BiFunction<Field, Object, List<Object>> bind) {
            List<Object> out = new ArrayList<>();
            values.forEach(v -> out.addAll(bind.apply(field, v)));
            return new In(field, out, negated);
        }
    }

    /** The row's key over {@code fields} is one of {@code keys} (key values as {@link dev.modelgate.model.Keys} has them). */
    record KeyIn(List<Field> fields, List<Object> keys) implements BoolExp {
        public KeyIn {
            fields = List.copyOf(fields);
            keys = List.copyOf(keys);
        }

        public BoolExp withValues(java.util.function.BiFunction<Field, Object, List<Object>> values) {
            return this;   // keys of rows already read, never a rule's values
        }
    }

    /** Rows whose key over {@code fields} is one of {@code keys}: a plain IN for one field. */
    static BoolExp keyIn(List<Field> fields, List<Object> keys) {
        return fields.size() == 1 ? new In(fields.get(0), keys, false) : new KeyIn(fields, keys);
    }

    /** The row whose key over {@code fields} is {@code key}. */
    static BoolExp keyEquals(List<Field> fields, Object key) {
        List<Object> parts = dev.modelgate.model.Keys.parts(key, fields.size());
        List<BoolExp> eq = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            eq.add(new Compare(fields.get(i), FilterOp.EQ, parts.get(i)));
        }
        return and(eq);
    }

    record IsNull(Field field, boolean isNull) implements BoolExp {
        public BoolExp withValues(java.util.function.BiFunction<Field, Object, List<Object>> values) {
            return this;
        }
    }

    /** Some related row (through {@code relation}) matches {@code where}. */
    record Related(Relation relation, BoolExp where) implements BoolExp {
        public BoolExp withValues(java.util.function.BiFunction<Field, Object, List<Object>> values) {
            return new Related(relation, where.withValues(values));
        }
    }

    /**
     * A group's aggregate compared ({@code HAVING}): {@code term op value}, where {@code op} is a
     * filter operator of the aggregate's type; IN and NOT IN take a list, IS NULL a boolean.
     * Only a {@link Group}'s {@code having} holds these.
     */
    record AggregateCompare(Aggregate.Term term, FilterOp op, Object value) implements BoolExp {
        public BoolExp withValues(java.util.function.BiFunction<Field, Object, List<Object>> values) {
            return this;   // a client's values, never a rule's
        }
    }

    record Const(boolean value) implements BoolExp {
        public BoolExp withValues(java.util.function.BiFunction<Field, Object, List<Object>> values) {
            return this;
        }
    }

    /** AND of the given filters, dropping TRUE and collapsing trivial cases. */
    static BoolExp and(List<BoolExp> items) {
        List<BoolExp> kept = new ArrayList<>();
        for (BoolExp e : items) {
            if (e == null || TRUE.equals(e)) {
                continue;
            }
            if (FALSE.equals(e)) {
                return FALSE;
            }
            kept.add(e);
        }
        if (kept.isEmpty()) {
            return TRUE;
        }
        return kept.size() == 1 ? kept.get(0) : new And(kept);
    }

    static BoolExp and(BoolExp a, BoolExp b) {
        return and(java.util.Arrays.asList(a, b));
    }
}
