package dev.modelgate.exec;

import dev.modelgate.db.Chunks;
import dev.modelgate.db.QueryRunner;
import dev.modelgate.db.Session;
import dev.modelgate.error.Constraints;
import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;
import dev.modelgate.ir.BoolExp;
import dev.modelgate.ir.Delete;
import dev.modelgate.ir.Insert;
import dev.modelgate.ir.Partition;
import dev.modelgate.ir.Select;
import dev.modelgate.ir.Update;
import dev.modelgate.ir.Upsert;
import dev.modelgate.ir.WritePlan;
import dev.modelgate.model.Field;
import dev.modelgate.model.Keys;
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
 * Runs planned writes ({@link WritePlan}) on the session of the operation's transaction:
 * creates (bulk and nested, one multi-row INSERT per level and shape of row), updates,
 * upserts and deletes, which always target rows by primary key. Permission filters that need
 * the written rows are checked here, after the statements, and a failure rolls back the operation.
 */
final class Writes {
    private final Models models;
    private final QueryRunner runner;
    private final WriteRenderer writes;
    private final Dialect dialect;

    Writes(Models models, QueryRunner runner, Dialect dialect) {
        this.models = models;
        this.runner = runner;
        this.dialect = dialect;
        this.writes = runner.translation().writes();   // the one translation stage, shared with the reads
    }

    /**
     * The value of a mutation field: the row or rows written as the role may read them, or
     * {@code {affectedRows, returning}}; {@code returning} false when the client did not ask for the rows.
     */
    Object run(Session s, String role, WritePlan plan, List<Field> reading, boolean returning) {
        try {
            return value(s, role, plan, reading, returning);
        } catch (GatewayException g) {
            throw Constraints.describe(g, models, plan.model());
        }
    }

    private Object value(Session s, String role, WritePlan plan, List<Field> reading, boolean returning) {
        Model m = plan.model();
        if (plan instanceof WritePlan.Create c) {
            List<Map<String, Object>> rows = readBack(s, role, m, create(s, role, c.rows()), c.readable(), reading);
            return c.many() ? rows : rows.get(0);
        }
        if (plan instanceof WritePlan.Update u) {
            List<Object> keys = keysOf(m, matching(s, m, u.where()));
            update(s, role, m, keys, u.changes(), u.check());
            if (u.key() != null) {
                return first(rows(s, m, keys, u.readable(), reading));
            }
            return result(keys.size(), returning ? rows(s, m, keys, u.readable(), reading) : List.of());
        }
        if (plan instanceof WritePlan.Upsert u) {
            return readBack(s, role, m, List.of(upsert(s, role, u)), u.readable(), reading).get(0);
        }
        WritePlan.Delete d = (WritePlan.Delete) plan;
        List<Object> keys = keysOf(m, matching(s, m, d.where()));
        List<Map<String, Object>> visible = d.key() != null || returning ? rows(s, m, keys, d.readable(), reading) : List.of();
        delete(s, m, keys);
        return d.key() != null ? first(visible) : result(keys.size(), visible);
    }

    private static Map<String, Object> first(List<Map<String, Object>> rows) {
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** {affectedRows, returning}. */
    private static Map<String, Object> result(int affected, List<Map<String, Object>> rows) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("affectedRows", affected);
        out.put("returning", rows);
        return out;
    }

    /** Rows just written, as the role may read them; a written row it may not read is FORBIDDEN. */
    private List<Map<String, Object>> readBack(Session s, String role, Model m, List<Object> keys, BoolExp readable, List<Field> reading) {
        List<Map<String, Object>> rows = rows(s, m, keys, readable, reading);
        if (rows.size() < keys.size()) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "role " + role + " may not read the "
                    + m.name() + " it wrote, so it may not write it");
        }
        return rows;
    }

    // ---- create ----

    /** Creates rows with their nested children and links; returns their primary keys in input order. */
    private List<Object> create(Session s, String role, WritePlan.CreateRows c) {
        Model m = c.model();
        List<Object> keys = insertRows(s, m, c.rows());
        requireWithin(s, role, m, keys, c.check(), "create");
        for (WritePlan.Nested n : c.nested()) {
            Relation r = n.relation();
            if (n instanceof WritePlan.Children ch) {
                List<Field> key = Models.fields(models.target(r), r.key());
                List<Map<Field, Object>> rows = new ArrayList<>();
                for (int i = 0; i < ch.rows().rows().size(); i++) {
                    Map<Field, Object> row = new LinkedHashMap<>(ch.rows().rows().get(i));
                    List<Object> parts = Keys.parts(keys.get(ch.parents().get(i)), key.size());
                    for (int j = 0; j < key.size(); j++) {
                        row.put(key.get(j), parts.get(j));
                    }
                    rows.add(row);
                }
                create(s, role, new WritePlan.CreateRows(ch.rows().model(), rows, ch.rows().check(), ch.rows().nested()));
            } else {
                WritePlan.Links l = (WritePlan.Links) n;
                List<Object[]> pairs = new ArrayList<>();
                l.connect().forEach(link -> pairs.add(new Object[]{keys.get(link.parent()), link.target()}));
                if (l.created() != null) {
                    List<Object> created = create(s, role, l.created());
                    for (int j = 0; j < created.size(); j++) {
                        pairs.add(new Object[]{keys.get(l.createdParents().get(j)), created.get(j)});
                    }
                }
                requireLinkable(s, role, models.target(r), pairs.stream().map(p -> p[1]).toList(), l.linkable());
                link(s, m, r, pairs);
            }
        }
        return keys;
    }

    /**
     * Multi-row INSERTs in input order: one per run of consecutive rows that set the same
     * fields (chunked by the parameter limit), so generated keys ascend in input order.
     */
    private List<Object> insertRows(Session s, Model m, List<Map<Field, Object>> rows) {
        List<Object> keys = new ArrayList<>(rows.size());
        int start = 0;
        while (start < rows.size()) {
            List<Field> shape = shape(m, rows.get(start));
            int end = start + 1;
            int perStatement = shape.isEmpty() ? 1 : (dialect.maxParameters() - 10) / shape.size();
            while (end < rows.size() && end - start < perStatement && shape(m, rows.get(end)).equals(shape)) {
                end++;
            }
            List<List<Object>> values = rows.subList(start, end).stream().map(r -> shape.stream().map(r::get).toList()).toList();
            Insert insert = new Insert(m, shape, values);
            if (shape.containsAll(m.key())) {   // the rows give their keys
                s.update(writes.insert(insert));
                rows.subList(start, end).forEach(r -> keys.add(Keys.ofFields(r, m.key())));
            } else {
                Field id = m.singleKey();
                List<Object> returned = s.insert(writes.insert(insert), writes.generatesKey(insert));
                // generated keys grow in the order rows are inserted, which is the VALUES order
                List<Object> generated = returned.stream().map(k -> runner.values().read(id.type(), k))
                        .sorted(Comparator.comparingLong(k -> Long.parseLong(k.toString()))).toList();
                if (generated.size() != end - start) {
                    throw new IllegalStateException("the driver returned " + generated.size() + " generated keys for "
                            + (end - start) + " rows of " + m.table());
                }
                keys.addAll(generated);
            }
            start = end;
        }
        return keys;
    }

    private static List<Field> shape(Model m, Map<Field, Object> row) {
        return m.fields().stream().filter(row::containsKey).toList();
    }

    private void link(Session s, Model m, Relation r, List<Object[]> pairs) {
        if (pairs.isEmpty()) {
            return;
        }
        Model target = models.target(r);
        int perRow = r.joinKey().size() + r.joinOtherKey().size();
        for (List<Object[]> chunk : Chunks.of(pairs, (dialect.maxParameters() - 10) / perRow)) {
            s.update(writes.link(r.joinTable(), r.joinKey(), m.key(), r.joinOtherKey(), target.key(), chunk));
        }
    }

    /** Under a filter of the role, the rows with these keys must all satisfy it (else FORBIDDEN). */
    private void requireWithin(Session s, String role, Model m, List<Object> keys, BoolExp filter, String op) {
        if (BoolExp.TRUE.equals(filter) || keys.isEmpty()) {
            return;
        }
        if (!allMatch(s, m, keys, filter)) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "role " + role + ": the " + op
                    + " permission of " + m.name() + " does not allow " + (op.equals("create") ? "these values" : "this change"));
        }
    }

    /** A role links only rows it may read. */
    private void requireLinkable(Session s, String role, Model target, List<Object> keys, BoolExp linkable) {
        if (BoolExp.TRUE.equals(linkable) || keys.isEmpty()) {
            return;
        }
        if (!allMatch(s, target, keys, linkable)) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "role " + role + " may only link " + target.name() + " rows it may read");
        }
    }

    /** Whether every row with these keys exists and matches the filter. */
    private boolean allMatch(Session s, Model m, List<Object> keys, BoolExp filter) {
        return rows(s, m, keys, filter, m.key()).size() == new HashSet<>(keys).size();
    }

    // ---- update ----

    /**
     * Updates the rows with these keys: first the rows they are to belong to (connected, or
     * created), then their values and amounts, their many-to-many links, and their children.
     * Each step is one statement for all the rows (per chunk of the parameter limit), not one per row.
     */
    private void update(Session s, String role, Model m, List<Object> keys, WritePlan.Changes changes, BoolExp check) {
        if (keys.isEmpty()) {
            return;
        }
        Map<Field, Object> values = new LinkedHashMap<>(changes.values());
        for (WritePlan.ParentChange p : changes.parents()) {
            Model target = models.target(p.relation());
            Object key = p.create() != null ? create(s, role, p.create()).get(0) : p.connect();
            if (p.create() == null) {
                requireLinkable(s, role, target, List.of(key), p.linkable());
            }
            List<Field> fk = Models.fields(m, p.relation().key());
            List<Object> parts = Keys.parts(key, fk.size());
            for (int i = 0; i < fk.size(); i++) {
                values.put(fk.get(i), parts.get(i));
            }
        }
        if (!values.isEmpty() || !changes.amounts().isEmpty()) {
            set(s, m, keys, values, changes.amounts());
            requireWithin(s, role, m, keys, check, "update");   // the new state must still be the role's to update
        }
        for (WritePlan.LinkChange lc : changes.links()) {
            links(s, role, m, keys, lc);
        }
        for (WritePlan.ChildrenChange cc : changes.children()) {
            children(s, role, keys, cc);
        }
    }

    /** One UPDATE per chunk of keys. */
    private void set(Session s, Model m, List<Object> keys, Map<Field, Object> values, Map<Field, Object> amounts) {
        for (List<Object> chunk : runner.chunks(keys, m.key().size())) {
            s.update(writes.update(new Update(m, values, amounts, chunk)));
        }
    }

    /** A many-to-many relation of the rows: links removed, replaced, added, and to targets created here. */
    private void links(Session s, String role, Model m, List<Object> keys, WritePlan.LinkChange lc) {
        Relation r = lc.relation();
        Model target = models.target(r);
        if (lc.replace()) {
            for (List<Object> chunk : runner.chunks(keys, m.key().size())) {
                s.update(writes.delete(new Delete(r.joinTable(), r.joinKey(), m.key(), chunk)));
            }
        } else if (!lc.disconnect().isEmpty()) {
            for (Object key : keys) {
                s.update(writes.unlink(r.joinTable(), r.joinKey(), m.key(), key, r.joinOtherKey(), target.key(), lc.disconnect()));
            }
        }
        List<Object> connect = new ArrayList<>(lc.connect());
        if (!connect.isEmpty()) {
            requireLinkable(s, role, target, connect, lc.linkable());
        }
        if (lc.created() != null) {
            connect.addAll(create(s, role, lc.created()));
        }
        if (connect.isEmpty()) {
            return;
        }
        Map<Object, Set<Object>> existing = lc.replace() ? Map.of() : linkedTo(s, r, keys);
        List<Object[]> pairs = new ArrayList<>();
        for (Object key : keys) {
            Set<Object> linked = existing.getOrDefault(key, Set.of());
            connect.stream().filter(c -> !linked.contains(c)).distinct().forEach(c -> pairs.add(new Object[]{key, c}));
        }
        link(s, m, r, pairs);
    }

    /** The targets each row is linked to, for all the rows in one statement. */
    private Map<Object, Set<Object>> linkedTo(Session s, Relation r, List<Object> keys) {
        Map<Object, Set<Object>> out = new HashMap<>();
        Model target = models.target(r);
        Select sel = new Select(target, BoolExp.TRUE, List.of(), null, null, new Partition(r, keys)).reading(target.key());
        runner.listByParent(s, sel).forEach((k, rows) -> rows.forEach(row -> out.computeIfAbsent(k, x -> new HashSet<>()).add(Keys.of(row, target.key()))));
        return out;
    }

    /**
     * The children of the rows through a has-many or has-one relation, always within those rows'
     * children: deleted, updated (with their own nested changes), detached, attached, created.
     */
    private void children(Session s, String role, List<Object> parents, WritePlan.ChildrenChange cc) {
        Relation r = cc.relation();
        Model child = models.target(r);
        List<Field> fk = Models.fields(child, r.key());
        BoolExp within = BoolExp.keyIn(fk, parents);
        if (cc.delete() != null) {
            delete(s, child, keysOf(child, matching(s, child, BoolExp.and(List.of(cc.delete(), within, cc.deletable())))));
        }
        for (WritePlan.ChildUpdate u : cc.update()) {
            update(s, role, child, keysOf(child, matching(s, child, BoolExp.and(List.of(u.where(), within, cc.updatable())))),
                    u.changes(), cc.updatable());
        }
        if (!cc.disconnect().isEmpty()) {
            List<Object> detached = keysOf(child, matching(s, child, BoolExp.and(BoolExp.keyIn(child.key(), cc.disconnect()), within)));
            requireWithin(s, role, child, detached, cc.updatable(), "update");
            Map<Field, Object> none = new LinkedHashMap<>();
            fk.forEach(f -> none.put(f, null));
            if (!detached.isEmpty()) {
                set(s, child, detached, none, Map.of());
            }
        }
        if (!cc.connect().isEmpty()) {
            if (parents.size() > 1) {
                throw GatewayException.badInput(r.name() + ".connect moves rows under one " + r.owner() + ", and this update matched "
                        + parents.size() + "; connect through update" + r.owner() + " by key");
            }
            List<Object> moved = keysOf(child, matching(s, child, BoolExp.keyIn(child.key(), cc.connect())));
            requireWithin(s, role, child, moved, cc.updatable(), "update");
            Map<Field, Object> under = new LinkedHashMap<>();
            List<Object> parts = Keys.parts(parents.get(0), fk.size());
            for (int i = 0; i < fk.size(); i++) {
                under.put(fk.get(i), parts.get(i));
            }
            if (!moved.isEmpty()) {
                set(s, child, moved, under, Map.of());
                requireWithin(s, role, child, moved, cc.updatable(), "update");
            }
        }
        if (cc.create() != null) {   // the rows once under every parent, in one INSERT per level
            WritePlan.CreateRows each = WritePlan.times(cc.create(), parents.size());
            int n = cc.create().rows().size();
            List<Map<Field, Object>> rows = new ArrayList<>();
            for (int i = 0; i < each.rows().size(); i++) {
                Map<Field, Object> row = new LinkedHashMap<>(each.rows().get(i));
                List<Object> parts = Keys.parts(parents.get(i / n), fk.size());
                for (int j = 0; j < fk.size(); j++) {
                    row.put(fk.get(j), parts.get(j));
                }
                rows.add(row);
            }
            create(s, role, new WritePlan.CreateRows(child, rows, each.check(), each.nested()));
        }
    }

    // ---- upsert ----

    /** Inserts, or updates the row with the same conflict value; returns its key. */
    private Object upsert(Session s, String role, WritePlan.Upsert u) {
        Model m = u.model();
        Select row = new Select(m, BoolExp.keyEquals(u.conflict(), Keys.ofFields(u.values(), u.conflict())), List.of(), 1L, null, null);
        List<Object> existing = u.updatable() == null ? List.of() : keysOf(m, runner.list(s, row));
        if (u.updatable() != null) {
            requireWithin(s, role, m, existing, u.updatable(), "update");
        }
        s.update(writes.upsert(new Upsert(m, u.values(), u.conflict(), u.update())));
        Object key = Keys.of(runner.list(s, row).get(0), m.key());
        requireWithin(s, role, m, List.of(key), existing.isEmpty() ? u.createCheck() : u.updateCheck(), existing.isEmpty() ? "create" : "update");
        return key;
    }

    /** The primary keys of rows. */
    private static List<Object> keysOf(Model m, List<Map<String, Object>> rows) {
        return rows.stream().map(r -> Keys.of(r, m.key())).toList();
    }

    // ---- delete ----

    /** Deletes rows by key, with their many-to-many links; refused while other rows reference them. */
    private void delete(Session s, Model m, List<Object> keys) {
        if (keys.isEmpty()) {
            return;
        }
        for (Relation r : models.referencing(m)) {
            Model child = r.kind() == RelationKind.BELONGS_TO ? models.get(r.owner()) : models.target(r);
            List<Field> fk = Models.fields(child, r.key());
            for (List<Object> chunk : runner.chunks(keys, fk.size())) {
                Select probe = new Select(child, BoolExp.keyIn(fk, chunk), List.of(), 1L, null, null);
                if (!runner.list(s, probe).isEmpty()) {
                    throw new GatewayException(ErrorCode.CONSTRAINT_VIOLATION, "cannot delete " + m.name() + ": "
                            + child.name() + "." + String.join(", ", r.key()) + " still references it");
                }
            }
        }
        Set<String> done = new HashSet<>();
        for (Model other : models.all()) {
            for (Relation r : other.relations()) {
                if (r.kind() != RelationKind.MANY_TO_MANY) {
                    continue;
                }
                List<String> columns = r.owner().equals(m.name()) ? r.joinKey() : r.target().equals(m.name()) ? r.joinOtherKey() : null;
                if (columns != null && done.add((r.joinTable() + "." + columns).toLowerCase())) {
                    for (List<Object> chunk : runner.chunks(keys, columns.size())) {
                        s.update(writes.delete(new Delete(r.joinTable(), columns, m.key(), chunk)));
                    }
                }
            }
        }
        for (List<Object> chunk : runner.chunks(keys, m.key().size())) {
            s.update(writes.delete(Delete.byPrimaryKey(m, chunk)));
        }
    }

    // ---- reading ----

    /** Rows by primary key that match {@code filter}, in the order of {@code keys} (others skipped), with the columns {@code reading}. */
    private List<Map<String, Object>> rows(Session s, Model m, List<Object> keys, BoolExp filter, List<Field> reading) {
        if (keys.isEmpty() || BoolExp.FALSE.equals(filter)) {
            return List.of();
        }
        Map<Object, Map<String, Object>> byKey = new HashMap<>();
        for (List<Object> chunk : runner.chunks(keys, m.key().size())) {
            BoolExp where = BoolExp.and(BoolExp.keyIn(m.key(), chunk), filter);
            for (Map<String, Object> row : runner.list(s, new Select(m, where, List.of(), null, null, null).reading(reading))) {
                byKey.put(Keys.of(row, m.key()), row);
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

    /** The rows {@code where} matches, their keys read only. */
    private List<Map<String, Object>> matching(Session s, Model m, BoolExp where) {
        return runner.list(s, new Select(m, where, List.of(), null, null, null).reading(m.key()));
    }
}
