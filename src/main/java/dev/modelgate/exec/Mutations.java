package dev.modelgate.exec;

import dev.modelgate.db.Chunks;
import dev.modelgate.db.QueryRunner;
import dev.modelgate.db.Session;

import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;
import dev.modelgate.ir.Access;
import dev.modelgate.ir.BoolExp;
import dev.modelgate.ir.Delete;
import dev.modelgate.ir.Insert;
import dev.modelgate.ir.InputReader;
import dev.modelgate.ir.Select;
import dev.modelgate.ir.Update;
import dev.modelgate.ir.Upsert;
import dev.modelgate.model.Allow;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Relation;
import dev.modelgate.model.RelationKind;
import dev.modelgate.sql.Dialect;
import dev.modelgate.sql.WriteRenderer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write side: creates (bulk and nested), updates, upserts and deletes, on the session of
 * the operation's transaction. Each level of a nested create is one multi-row INSERT per
 * relation, not one per row. Writes target rows by primary key.
 */
final class Mutations {
    private final Models models;
    private final QueryRunner runner;
    private final WriteRenderer writes;
    private final InputReader input = new InputReader();
    private final Dialect dialect;

    Mutations(Models models, QueryRunner runner, Dialect dialect) {
        this.models = models;
        this.runner = runner;
        this.dialect = dialect;
        this.writes = new WriteRenderer(dialect);
    }

    // ---- create ----

    /**
     * Creates rows with their nested children and links; returns their primary keys in input
     * order. Every level needs the role's create permission on its model, and its new rows
     * must satisfy the create filter.
     */
    @SuppressWarnings("unchecked")
    List<Object> create(Session s, Access a, Model m, List<Map<String, Object>> data, String path) {
        a.require(m, Allow.Op.CREATE);
        List<Map<Field, Object>> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            rows.add(input.scalars(m, data.get(i), path + "[" + i + "]"));
        }
        List<Object> keys = insertRows(s, m, rows);
        requireWithin(s, a, m, keys, Allow.Op.CREATE);
        for (Relation r : m.relations()) {
            Model target = models.target(r);
            if (r.kind() == RelationKind.HAS_MANY || r.kind() == RelationKind.HAS_ONE) {
                List<Map<String, Object>> children = new ArrayList<>();
                for (int i = 0; i < data.size(); i++) {
                    Object v = data.get(i).get(r.name());
                    if (v == null) {
                        continue;
                    }
                    List<Map<String, Object>> items = v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of((Map<String, Object>) v);
                    for (Map<String, Object> item : items) {
                        Map<String, Object> child = new LinkedHashMap<>(item);
                        child.put(r.key(), keys.get(i));
                        children.add(child);
                    }
                }
                if (!children.isEmpty()) {
                    create(s, a, target, children, path + "." + r.name());
                }
            } else if (r.kind() == RelationKind.MANY_TO_MANY) {
                List<Object[]> pairs = new ArrayList<>();
                List<Map<String, Object>> toCreate = new ArrayList<>();
                List<Object> owners = new ArrayList<>();
                for (int i = 0; i < data.size(); i++) {
                    Map<String, Object> link = (Map<String, Object>) data.get(i).get(r.name());
                    if (link == null) {
                        continue;
                    }
                    for (Object k : nonNullList(link.get("connect"), path + "." + r.name() + ".connect")) {
                        pairs.add(new Object[]{keys.get(i), k});
                    }
                    for (Object c : nonNullList(link.get("create"), path + "." + r.name() + ".create")) {
                        toCreate.add((Map<String, Object>) c);
                        owners.add(keys.get(i));
                    }
                }
                if (!toCreate.isEmpty()) {
                    List<Object> created = create(s, a, target, toCreate, path + "." + r.name() + ".create");
                    for (int j = 0; j < created.size(); j++) {
                        pairs.add(new Object[]{owners.get(j), created.get(j)});
                    }
                }
                requireReadable(s, a, target, pairs.stream().map(p -> p[1]).toList());
                link(s, m, r, pairs);
            }
        }
        return keys;
    }

    /** Under a filter of the role, the rows with these keys must all satisfy it (else FORBIDDEN). */
    void requireWithin(Session s, Access a, Model m, List<Object> keys, Allow.Op op) {
        BoolExp filter = a.filter(m, op);
        if (BoolExp.TRUE.equals(filter) || keys.isEmpty()) {
            return;
        }
        if (!allMatch(s, m, keys, filter)) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "role " + a.role() + ": the " + op.name().toLowerCase()
                    + " permission of " + m.name() + " does not allow " + (op == Allow.Op.CREATE ? "these values" : "this change"));
        }
    }

    /** A role links only rows it may read. */
    private void requireReadable(Session s, Access a, Model target, List<Object> keys) {
        if (a.unrestricted() || keys.isEmpty()) {
            return;
        }
        if (!allMatch(s, target, keys, a.readOrNothing(target))) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "role " + a.role() + " may only link " + target.name() + " rows it may read");
        }
    }

    /** Whether every row with these keys exists and matches the filter. */
    private boolean allMatch(Session s, Model m, List<Object> keys, BoolExp filter) {
        return rows(s, m, keys, filter).size() == new HashSet<>(keys).size();
    }

    private static List<Object> nonNullList(Object v, String path) {
        return v == null ? List.of() : castList(v);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object v) {
        return (List<Object>) v;
    }

    /** Multi-row INSERTs (one per shape of row, chunked by the parameter limit); keys in input order. */
    private List<Object> insertRows(Session s, Model m, List<Map<Field, Object>> rows) {
        Object[] keys = new Object[rows.size()];
        for (Insert.Group g : Insert.grouped(m, rows)) {
            int perStatement = g.insert().fields().isEmpty() ? 1 : (dialect.maxParameters() - 10) / g.insert().fields().size();
            List<List<List<Object>>> rowChunks = Chunks.of(g.insert().rows(), perStatement);
            List<List<Integer>> positionChunks = Chunks.of(g.positions(), perStatement);
            for (int c = 0; c < rowChunks.size(); c++) {
                Insert part = new Insert(m, g.insert().fields(), rowChunks.get(c));
                List<Object> returned = s.insert(writes.insert(part), dialect.insertReturning());
                List<Integer> positions = positionChunks.get(c);
                if (part.fields().contains(m.id())) {
                    positions.forEach(p -> keys[p] = rows.get(p).get(m.id()));
                } else {
                    // generated keys grow in the order rows are inserted, which is the VALUES order
                    List<Object> generated = returned.stream().map(k -> runner.values().read(m.id().type(), k))
                            .sorted(Comparator.comparingLong(k -> Long.parseLong(k.toString()))).toList();
                    if (generated.size() != positions.size()) {
                        throw new IllegalStateException("the driver returned " + generated.size() + " generated keys for "
                                + positions.size() + " rows of " + m.table());
                    }
                    for (int j = 0; j < positions.size(); j++) {
                        keys[positions.get(j)] = generated.get(j);
                    }
                }
            }
        }
        return List.of(keys);
    }

    private void link(Session s, Model m, Relation r, List<Object[]> pairs) {
        if (pairs.isEmpty()) {
            return;
        }
        Model target = models.target(r);
        for (List<Object[]> chunk : Chunks.of(pairs, (dialect.maxParameters() - 10) / 2)) {
            s.update(writes.link(r.joinTable(), r.joinKey(), m.id(), r.joinOtherKey(), target.id(), chunk));
        }
    }

    // ---- update ----

    /** The checked values and amounts of an update, read before any SQL runs. */
    record Changes(Map<Field, Object> values, Map<Field, Object> amounts, Map<String, Object> set) {
    }

    Changes changes(Model m, Map<String, Object> set, Map<String, Object> inc) {
        Map<Field, Object> values = input.scalars(m, set, "set");
        values.remove(m.id());
        Map<Field, Object> amounts = input.increments(m, inc, "inc");
        for (Field f : amounts.keySet()) {
            if (values.containsKey(f)) {
                throw GatewayException.badInput(m.name() + "." + f.name() + " is in both set and inc; give one");
            }
        }
        return new Changes(values, amounts, set);
    }

    /** Updates the rows with these keys: {@code set} values, {@code inc} amounts, many-to-many links. */
    @SuppressWarnings("unchecked")
    void update(Session s, Access a, Model m, List<Object> keys, Changes changes) {
        Map<Field, Object> values = changes.values();
        Map<Field, Object> amounts = changes.amounts();
        Map<String, Object> set = changes.set();
        if (keys.isEmpty()) {
            return;
        }
        if (!values.isEmpty() || !amounts.isEmpty()) {
            for (List<Object> chunk : chunks(keys)) {
                s.update(writes.update(new Update(m, values, amounts, chunk)));
            }
            requireWithin(s, a, m, keys, Allow.Op.UPDATE);   // the new state must still be the role's to update
        }
        if (set == null) {
            return;
        }
        for (Relation r : m.relations()) {
            Map<String, Object> links = (Map<String, Object>) set.get(r.name());
            if (r.kind() != RelationKind.MANY_TO_MANY || links == null) {
                continue;
            }
            List<Object> connect = nonNullList(links.get("connect"), "set." + r.name() + ".connect");
            List<Object> disconnect = nonNullList(links.get("disconnect"), "set." + r.name() + ".disconnect");
            Model target = models.target(r);
            for (Object key : keys) {
                if (!disconnect.isEmpty()) {
                    s.update(writes.unlink(r.joinTable(), r.joinKey(), m.id(), key, r.joinOtherKey(), target.id(), disconnect));
                }
            }
            if (!connect.isEmpty()) {
                requireReadable(s, a, target, connect);
                List<Object[]> pairs = new ArrayList<>();
                for (Object key : keys) {
                    Set<Object> existing = linkedTo(s, m, r, key);
                    connect.stream().filter(c -> !existing.contains(c)).distinct().forEach(c -> pairs.add(new Object[]{key, c}));
                }
                link(s, m, r, pairs);
            }
        }
    }

    private Set<Object> linkedTo(Session s, Model m, Relation r, Object key) {
        Set<Object> out = new HashSet<>();
        Model target = models.target(r);
        Select sel = new Select(target, BoolExp.TRUE, List.of(), null, null, new dev.modelgate.ir.Partition(r, List.of(key)));
        runner.listByParent(s, sel).getOrDefault(key, List.of()).forEach(row -> out.add(row.get(target.id().name())));
        return out;
    }

    // ---- upsert ----

    /**
     * Inserts, or updates the row with the same primary key or unique field; returns its key.
     * Under permissions the role needs create and update; an existing row must be inside its
     * update filter, and the row written must satisfy the create or update filter.
     */
    Object upsert(Session s, Access a, Model m, Map<String, Object> data, Map<String, Object> update) {
        a.require(m, Allow.Op.CREATE);
        a.require(m, Allow.Op.UPDATE);
        for (Relation r : m.relations()) {
            if (data.get(r.name()) != null) {
                throw GatewayException.badInput("data." + r.name() + ": upsert takes the model's own fields only");
            }
        }
        Map<Field, Object> values = input.scalars(m, data, "data");
        Field conflict = values.containsKey(m.id()) && values.get(m.id()) != null ? m.id()
                : values.keySet().stream().filter(f -> f.unique() && values.get(f) != null).findFirst()
                .orElseThrow(() -> GatewayException.badInput("upsert" + m.name()
                        + " needs the primary key or a @unique field in data, to know which row to update"));
        Map<Field, Object> changes = update != null ? input.scalars(m, update, "update") : new LinkedHashMap<>(values);
        changes.remove(conflict);
        changes.remove(m.id());
        Select row = new Select(m, new BoolExp.Compare(conflict, dev.modelgate.model.FilterOp.EQ, values.get(conflict)), List.of(), 1L, null, null);
        List<Object> existing = a.unrestricted() ? List.of() : keysOf(m, runner.list(s, row));
        requireWithin(s, a, m, existing, Allow.Op.UPDATE);
        s.update(writes.upsert(new Upsert(m, values, conflict, changes)));
        Object key = runner.list(s, row).get(0).get(m.id().name());
        requireWithin(s, a, m, List.of(key), existing.isEmpty() ? Allow.Op.CREATE : Allow.Op.UPDATE);
        return key;
    }

    /** The primary keys of rows. */
    static List<Object> keysOf(Model m, List<Map<String, Object>> rows) {
        return rows.stream().map(r -> r.get(m.id().name())).toList();
    }

    // ---- delete ----

    /** Deletes rows by key, with their many-to-many links; refused while other rows reference them. */
    void delete(Session s, Model m, List<Object> keys) {
        if (keys.isEmpty()) {
            return;
        }
        for (Relation r : models.referencing(m)) {
            Model child = r.kind() == RelationKind.BELONGS_TO ? models.get(r.owner()) : models.target(r);
            Field fk = child.requireField(r.key());
            for (List<Object> chunk : chunks(keys)) {
                Select probe = new Select(child, new BoolExp.In(fk, chunk, false), List.of(), 1L, null, null);
                if (!runner.list(s, probe).isEmpty()) {
                    throw new GatewayException(ErrorCode.CONSTRAINT_VIOLATION, "cannot delete " + m.name() + ": "
                            + child.name() + "." + fk.name() + " still references it");
                }
            }
        }
        Set<String> done = new HashSet<>();
        for (Model other : models.all()) {
            for (Relation r : other.relations()) {
                if (r.kind() != RelationKind.MANY_TO_MANY) {
                    continue;
                }
                String column = r.owner().equals(m.name()) ? r.joinKey() : r.target().equals(m.name()) ? r.joinOtherKey() : null;
                if (column != null && done.add(r.joinTable().toLowerCase() + "." + column.toLowerCase())) {
                    for (List<Object> chunk : chunks(keys)) {
                        s.update(writes.delete(new Delete(r.joinTable(), column, m.id(), chunk)));
                    }
                }
            }
        }
        for (List<Object> chunk : chunks(keys)) {
            s.update(writes.delete(Delete.byPrimaryKey(m, chunk)));
        }
    }

    // ---- reading back ----

    /** Rows by primary key that match {@code filter}, in the order of {@code keys} (others skipped). */
    List<Map<String, Object>> rows(Session s, Model m, List<Object> keys, BoolExp filter) {
        if (keys.isEmpty() || BoolExp.FALSE.equals(filter)) {
            return List.of();
        }
        Map<Object, Map<String, Object>> byKey = new HashMap<>();
        for (List<Object> chunk : chunks(keys)) {
            BoolExp where = BoolExp.and(new BoolExp.In(m.id(), chunk, false), filter);
            for (Map<String, Object> row : runner.list(s, new Select(m, where, List.of(), null, null, null))) {
                byKey.put(row.get(m.id().name()), row);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        keys.forEach(k -> {
            Map<String, Object> row = byKey.get(k);
            if (row != null) {
                out.add(row);
            }
        });
        return out;
    }

    List<Map<String, Object>> matching(Session s, Model m, BoolExp where) {
        return runner.list(s, new Select(m, where, List.of(), null, null, null));
    }

    private List<List<Object>> chunks(List<Object> keys) {
        return runner.chunks(keys);
    }

}
