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

    /**
     * What an update does to each row it matches: values, atomic increments, and what it does
     * through each relation — the row it belongs to ({@code parents}), its many-to-many links
     * ({@code links}) and its children ({@code children}).
     */
    record Changes(Map<Field, Object> values, Map<Field, Object> amounts, List<LinkChange> links, List<ParentChange> parents,
                   List<ChildrenChange> children) {
        public Changes {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
            amounts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(amounts));
            links = List.copyOf(links);
            parents = List.copyOf(parents);
            children = List.copyOf(children);
        }

        public Changes(Map<Field, Object> values, Map<Field, Object> amounts, List<LinkChange> links) {
            this(values, amounts, links, List.of(), List.of());
        }
    }

    /**
     * Links of one many-to-many relation on every updated row: added ({@code connect}, and the
     * targets {@code created} here), removed ({@code disconnect}), or all replaced ({@code replace}:
     * every link goes, then {@code connect}'s are made).
     */
    record LinkChange(Relation relation, List<Object> connect, List<Object> disconnect, CreateRows created, boolean replace,
                      BoolExp linkable) {
        public LinkChange {
            connect = List.copyOf(connect);
            disconnect = List.copyOf(disconnect);
        }
    }

    /**
     * A belongs-to relation of the updated rows pointed elsewhere: at an existing row
     * ({@code connect}, a key) or at a row created here ({@code create}).
     */
    record ParentChange(Relation relation, Object connect, CreateRows create, BoolExp linkable) {
    }

    /**
     * What an update does to the children of its rows through a has-many or has-one relation,
     * always within those rows' children, in this order: delete those matching {@code delete}
     * (null: none), update those matching each {@code update}'s where, detach {@code disconnect}
     * (key set NULL), attach {@code connect} (existing rows moved here), create {@code create}
     * under every updated row. {@code updatable}, {@code deletable}: the role's filters on the child model.
     */
    record ChildrenChange(Relation relation, BoolExp delete, List<ChildUpdate> update, List<Object> disconnect, List<Object> connect,
                          CreateRows create, BoolExp updatable, BoolExp deletable) {
        public ChildrenChange {
            update = List.copyOf(update);
            disconnect = List.copyOf(disconnect);
            connect = List.copyOf(connect);
        }
    }

    /**
     * {@code c}'s rows once for each of {@code times} parents, copy after copy, with what is nested
     * under them copied alike (each nested row still under its own copy of its parent).
     */
    static CreateRows times(CreateRows c, int times) {
        int n = c.rows().size();
        List<Map<Field, Object>> rows = new java.util.ArrayList<>();
        for (int t = 0; t < times; t++) {
            rows.addAll(c.rows());
        }
        List<Nested> nested = new java.util.ArrayList<>();
        for (Nested x : c.nested()) {
            if (x instanceof Children ch) {
                nested.add(new Children(ch.relation(), shifted(ch.parents(), n, times), times(ch.rows(), times)));
            } else {
                Links l = (Links) x;
                List<Link> connect = new java.util.ArrayList<>();
                for (int t = 0; t < times; t++) {
                    for (Link k : l.connect()) {
                        connect.add(new Link(k.parent() + t * n, k.target()));
                    }
                }
                nested.add(new Links(l.relation(), connect, shifted(l.createdParents(), n, times),
                        l.created() == null ? null : times(l.created(), times), l.linkable()));
            }
        }
        return new CreateRows(c.model(), rows, c.check(), nested);
    }

    private static List<Integer> shifted(List<Integer> parents, int n, int times) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int t = 0; t < times; t++) {
            for (int p : parents) {
                out.add(p + t * n);
            }
        }
        return out;
    }

    /** The children matching {@code where} get {@code changes} (nested changes of their own included). */
    record ChildUpdate(BoolExp where, Changes changes) {
    }
}
