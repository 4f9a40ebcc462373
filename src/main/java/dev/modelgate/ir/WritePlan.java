package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Relation;

import java.util.List;
import java.util.Map;

/**
 * A generated mutation as IR: every value read and checked (types, lengths, required fields,
 * the role's right to the operation on every model touched) before the first statement, and
 * the role's row filters carried along, as Hasura's insert IR carries its check condition. The
 * filters that need the rows ({@code check}: the new rows must match it) run after the write.
 */
public sealed interface WritePlan {
    Model model();

    /** The rows the role may read back: the read filter, or FALSE when it may read none. */
    BoolExp readable();

    /** {@code create<Model>} ({@code many} false) and {@code create<Models>}. */
    record Create(Model model, CreateRows rows, boolean many, BoolExp readable) implements WritePlan {
    }

    /**
     * {@code update<Model>(key)} ({@code key} set) or {@code update<Models>(where)}: the rows
     * matching {@code where} (the role's update filter included) get {@code changes}; afterwards
     * each must still match {@code check}.
     */
    record Update(Model model, Object key, BoolExp where, Changes changes, BoolExp check, BoolExp readable) implements WritePlan {
    }

    /** Insert, or update the row with the same values of the {@code conflict} fields; the checks of create and update apply. */
    record Upsert(Model model, Map<Field, Object> values, List<Field> conflict, Map<Field, Object> update,
                  BoolExp updatable, BoolExp createCheck, BoolExp updateCheck, BoolExp readable) implements WritePlan {
        public Upsert {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
            update = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(update));
            conflict = List.copyOf(conflict);
        }
    }

    /** {@code delete<Model>(key)} ({@code key} set) or {@code delete<Models>(where)}, the delete filter included. */
    record Delete(Model model, Object key, BoolExp where, BoolExp readable) implements WritePlan {
    }

    /**
     * Rows to insert into one model, in input order, with what is created or linked under them.
     * {@code check}: the create filter each new row must match.
     */
    record CreateRows(Model model, List<Map<Field, Object>> rows, BoolExp check, List<Nested> nested) {
        public CreateRows {
            rows = List.copyOf(rows);
            nested = List.copyOf(nested);
        }
    }

    /** What a create does under its rows. */
    sealed interface Nested {
        Relation relation();
    }

    /**
     * Children of a has-many or has-one relation: {@code rows.rows().get(i)} belongs to the parent
     * row at {@code parents.get(i)}, whose new key fills the child's key field.
     */
    record Children(Relation relation, List<Integer> parents, CreateRows rows) implements Nested {
        public Children {
            parents = List.copyOf(parents);
        }
    }

    /**
     * Many-to-many links of new rows: to existing targets ({@code connect}) and to targets created
     * here ({@code created.rows().get(i)} linked to the parent at {@code createdParents.get(i)}).
     * {@code linkable}: the targets the role may link, i.e. read.
     */
    record Links(Relation relation, List<Link> connect, List<Integer> createdParents, CreateRows created, BoolExp linkable)
            implements Nested {
        public Links {
            connect = List.copyOf(connect);
            createdParents = List.copyOf(createdParents);
        }
    }

    /** A link from the parent row at {@code parent} to the target with key {@code target}. */
    record Link(int parent, Object target) {
    }

    /** What an update sets: values, atomic increments, many-to-many links to add and remove. */
    record Changes(Map<Field, Object> values, Map<Field, Object> amounts, List<LinkChange> links) {
        public Changes {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
            amounts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(amounts));
            links = List.copyOf(links);
        }
    }

    /** Links of one many-to-many relation to add and remove on every updated row. */
    record LinkChange(Relation relation, List<Object> connect, List<Object> disconnect, BoolExp linkable) {
        public LinkChange {
            connect = List.copyOf(connect);
            disconnect = List.copyOf(disconnect);
        }
    }
}
