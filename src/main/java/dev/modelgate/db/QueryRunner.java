package dev.modelgate.db;

import dev.modelgate.ir.Aggregate;
import dev.modelgate.ir.Partition;
import dev.modelgate.ir.Select;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.sql.Dialect;
import dev.modelgate.sql.Fragment;
import dev.modelgate.sql.SelectRenderer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs read IR on a session and returns rows as maps from field name to GraphQL-level value.
 * A partitioned read returns rows grouped by parent key, in order within each parent.
 */
public final class QueryRunner {
    private final Models models;
    private final SelectRenderer renderer;
    private final dev.modelgate.sql.Translation translation;
    private final JdbcValues values;
    private final int keysPerStatement;
    private final Dialect dialect;

    /** {@code maxKeysPerStatement} 0: as many keys in one IN list as the database's parameter limit allows. */
    public QueryRunner(Models models, Database db, int maxKeysPerStatement) {
        Dialect dialect = db.dialect();
        this.models = models;
        this.dialect = dialect;
        this.values = db.values();
        int byDialect = dialect.maxParameters() - 100;
        this.keysPerStatement = maxKeysPerStatement > 0 ? Math.min(maxKeysPerStatement, byDialect) : byDialect;
        this.translation = new dev.modelgate.sql.Translation(models, dialect);
        this.renderer = translation.reads();
    }

    /** The translation stage every statement of this database goes through, reads and writes. */
    public dev.modelgate.sql.Translation translation() {
        return translation;
    }

    /** How the rows' driver values are read. */
    public JdbcValues values() {
        return values;
    }

    public List<Map<String, Object>> list(Session session, Select s) {
        List<Map<String, Object>> out = new ArrayList<>();
        String[] names = names(s.columns());
        for (Map<String, Object> raw : session.select(renderer.select(s))) {
            out.add(row(s.columns(), names, raw));
        }
        return out;
    }

    /** Rows of a partitioned select, grouped by parent key. Keys with no rows are absent. */
    public Map<Object, List<Map<String, Object>>> listByParent(Session session, Select s) {
        Partition p = s.partition();
        List<Field> keyFields = models.parentKey(p.relation());
        List<String> aliases = SelectRenderer.keyAliases(keyFields.size());
        Map<Object, List<Map<String, Object>>> out = new HashMap<>();
        String[] names = names(s.columns());
        for (List<Object> chunk : chunks(p.keys(), keyFields.size())) {
            Select part = s.withPartition(new Partition(p.relation(), chunk));
            for (Map<String, Object> raw : session.select(renderer.select(part))) {
                out.computeIfAbsent(key(keyFields, aliases, raw), k -> new ArrayList<>()).add(row(s.columns(), names, raw));
            }
        }
        return out;
    }

    /** One row of aggregate values, in the order of the terms. */
    public List<Object> aggregate(Session session, Aggregate a) {
        List<Map<String, Object>> rows = session.select(renderer.aggregate(a));
        return values(a, rows.isEmpty() ? Map.of() : rows.get(0));
    }

    /** Aggregate values per parent key; parents with no rows are absent. */
    public Map<Object, List<Object>> aggregateByParent(Session session, Aggregate a) {
        Partition p = a.partition();
        List<Field> keyFields = models.parentKey(p.relation());
        List<String> aliases = SelectRenderer.keyAliases(keyFields.size());
        Map<Object, List<Object>> out = new HashMap<>();
        for (List<Object> chunk : chunks(p.keys(), keyFields.size())) {
            Aggregate part = new Aggregate(a.model(), a.where(), a.terms(), new Partition(p.relation(), chunk));
            for (Map<String, Object> raw : session.select(renderer.aggregate(part))) {
                out.put(key(keyFields, aliases, raw), values(a, raw));
            }
        }
        return out;
    }

    // ---- several reads of one shape at once (a live query's variable sets): one statement per level ----

    /** The rows of each root select, by its index: one statement (a {@link SelectRenderer#union}) for all. */
    public List<List<Map<String, Object>>> listMany(Session session, List<Select> reads) {
        List<Select> selects = sameColumns(reads);
        List<List<Map<String, Object>>> out = lists(selects.size());
        String[] names = names(selects.get(0).columns());
        for (Map<String, Object> raw : unions(session, tagged(selects), renderer::member, 0)) {
            out.get(set(raw)).add(row(selects.get(0).columns(), names, raw));
        }
        return out;
    }

    /** The rows of each partitioned select grouped by parent key, by its index: one statement for all. */
    public List<Map<Object, List<Map<String, Object>>>> listByParentMany(Session session, List<Select> reads) {
        List<Select> selects = sameColumns(reads);
        List<Field> keyFields = models.parentKey(selects.get(0).partition().relation());
        List<String> aliases = SelectRenderer.keyAliases(keyFields.size());
        List<Map<Object, List<Map<String, Object>>>> out = maps(selects.size());
        String[] names = names(selects.get(0).columns());
        for (Map<String, Object> raw : unions(session, parts(selects, Select::partition, Select::withPartition), renderer::member, keyFields.size())) {
            out.get(set(raw)).computeIfAbsent(key(keyFields, aliases, raw), k -> new ArrayList<>()).add(row(selects.get(0).columns(), names, raw));
        }
        return out;
    }

    /** Each root aggregate's values, by its index: one statement for all. */
    public List<List<Object>> aggregateMany(Session session, List<Aggregate> aggregates) {
        List<List<Object>> out = new ArrayList<>();
        aggregates.forEach(a -> out.add(values(a, Map.of())));
        for (List<Fragment> members : packed(tagged(aggregates), renderer::aggregateMember)) {
            for (Map<String, Object> raw : session.select(renderer.aggregateUnion(members))) {
                int set = set(raw);
                out.set(set, values(aggregates.get(set), raw));
            }
        }
        return out;
    }

    /** Each partitioned aggregate's values per parent key, by its index: one statement for all. */
    public List<Map<Object, List<Object>>> aggregateByParentMany(Session session, List<Aggregate> aggregates) {
        List<Field> keyFields = models.parentKey(aggregates.get(0).partition().relation());
        List<String> aliases = SelectRenderer.keyAliases(keyFields.size());
        List<Map<Object, List<Object>>> out = maps(aggregates.size());
        List<Tagged<Aggregate>> parts = parts(aggregates, Aggregate::partition, (a, q) -> new Aggregate(a.model(), a.where(), a.terms(), q));
        for (List<Fragment> members : packed(parts, renderer::aggregateMember)) {
            for (Map<String, Object> raw : session.select(renderer.aggregateUnion(members))) {
                int set = set(raw);
                out.get(set).put(key(keyFields, aliases, raw), values(aggregates.get(set), raw));
            }
        }
        return out;
    }

    /** Each root grouping's groups in order, by its index: one statement for all. */
    public List<List<GroupRow>> groupsMany(Session session, List<dev.modelgate.ir.Group> groups) {
        List<List<GroupRow>> out = lists(groups.size());
        for (Map<String, Object> raw : unions(session, tagged(groups), renderer::groupMember, 0)) {
            out.get(set(raw)).add(groupRow(groups.get(0), raw));
        }
        return out;
    }

    /** Each partitioned grouping's groups per parent key, by its index: one statement for all. */
    public List<Map<Object, List<GroupRow>>> groupsByParentMany(Session session, List<dev.modelgate.ir.Group> groups) {
        List<Field> keyFields = models.parentKey(groups.get(0).partition().relation());
        List<String> aliases = SelectRenderer.keyAliases(keyFields.size());
        List<Map<Object, List<GroupRow>>> out = maps(groups.size());
        List<Tagged<dev.modelgate.ir.Group>> parts = parts(groups, dev.modelgate.ir.Group::partition, dev.modelgate.ir.Group::withPartition);
        for (Map<String, Object> raw : unions(session, parts, renderer::groupMember, keyFields.size())) {
            out.get(set(raw)).computeIfAbsent(key(keyFields, aliases, raw), k -> new ArrayList<>()).add(groupRow(groups.get(0), raw));
        }
        return out;
    }

    /** The selects each reading every column any of them reads (a union's members have one column list; an order may need a column). */
    private static List<Select> sameColumns(List<Select> selects) {
        java.util.Set<Field> all = new java.util.HashSet<>();
        selects.forEach(s -> all.addAll(s.columns()));
        return selects.stream().map(s -> s.reading(all)).toList();
    }

    /** A read of one of the many, or a part of one (its parent keys split by the parameter limit), with the index of the one. */
    private record Tagged<T>(int set, T read) {
    }

    private static <T> List<Tagged<T>> tagged(List<T> reads) {
        List<Tagged<T>> out = new ArrayList<>(reads.size());
        for (int i = 0; i < reads.size(); i++) {
            out.add(new Tagged<>(i, reads.get(i)));
        }
        return out;
    }

    /** Each partitioned read split, as a single one is, so that no key list passes the parameter limit; the parts keep its index. */
    private <T> List<Tagged<T>> parts(List<T> reads, java.util.function.Function<T, Partition> partition,
                                      java.util.function.BiFunction<T, Partition, T> with) {
        List<Tagged<T>> out = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
            Partition p = partition.apply(reads.get(i));
            for (List<Object> chunk : chunks(p.keys(), models.parentKey(p.relation()).size())) {
                out.add(new Tagged<>(i, with.apply(reads.get(i), new Partition(p.relation(), chunk))));
            }
        }
        return out;
    }

    /**
     * The reads rendered as union members, packed into as few statements as the database's
     * parameter limit allows (one, unless their parameters together pass it).
     */
    private <T> List<List<Fragment>> packed(List<Tagged<T>> reads, java.util.function.BiFunction<T, Integer, Fragment> member) {
        int max = dialect.maxParameters() - 10;
        List<List<Fragment>> out = new ArrayList<>();
        List<Fragment> current = new ArrayList<>();
        int params = 0;
        for (Tagged<T> t : reads) {
            Fragment f = member.apply(t.read(), t.set());
            if (!current.isEmpty() && params + f.params().size() > max) {
                out.add(current);
                current = new ArrayList<>();
                params = 0;
            }
            current.add(f);
            params += f.params().size();
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** The rows of the ordered unions of the reads' members: one statement, or one per parameter-limit's worth. */
    private <T> List<Map<String, Object>> unions(Session session, List<Tagged<T>> reads, java.util.function.BiFunction<T, Integer, Fragment> member,
                                                 int parentKeyFields) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Fragment> members : packed(reads, member)) {
            rows.addAll(session.select(renderer.union(members, parentKeyFields)));
        }
        return rows;
    }

    /** The index of the read a union's row belongs to. */
    private static int set(Map<String, Object> raw) {
        return ((Number) raw.get(SelectRenderer.SET)).intValue();
    }

    private static <T> List<List<T>> lists(int n) {
        List<List<T>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        return out;
    }

    private static <K, V> List<Map<K, V>> maps(int n) {
        List<Map<K, V>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new HashMap<>());
        }
        return out;
    }

    /** One group: its key values by field name (each as its field reads), and its aggregate values in the order of the terms. */
    public record GroupRow(Map<String, Object> key, List<Object> values) {
    }

    /** The groups of a root grouping, in order. */
    public List<GroupRow> groups(Session session, dev.modelgate.ir.Group g) {
        List<GroupRow> out = new ArrayList<>();
        for (Map<String, Object> raw : session.select(renderer.group(g))) {
            out.add(groupRow(g, raw));
        }
        return out;
    }

    /** The groups of each parent, in order; parents with no group are absent. */
    public Map<Object, List<GroupRow>> groupsByParent(Session session, dev.modelgate.ir.Group g) {
        Partition p = g.partition();
        List<Field> keyFields = models.parentKey(p.relation());
        List<String> aliases = SelectRenderer.keyAliases(keyFields.size());
        Map<Object, List<GroupRow>> out = new HashMap<>();
        for (List<Object> chunk : chunks(p.keys(), keyFields.size())) {
            for (Map<String, Object> raw : session.select(renderer.group(g.withPartition(new Partition(p.relation(), chunk))))) {
                out.computeIfAbsent(key(keyFields, aliases, raw), k -> new ArrayList<>()).add(groupRow(g, raw));
            }
        }
        return out;
    }

    private GroupRow groupRow(dev.modelgate.ir.Group g, Map<String, Object> raw) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (int i = 0; i < g.by().size(); i++) {
            Field f = g.by().get(i).field();
            key.put(f.name(), cell(f, raw.get(SelectRenderer.groupKeyAlias(i))));
        }
        List<Object> values = new ArrayList<>(g.terms().size());
        for (int i = 0; i < g.terms().size(); i++) {
            values.add(raw.get(SelectRenderer.aggregateAlias(i)));
        }
        return new GroupRow(key, values);
    }

    /** The parent key a partitioned row carries, as a key value. */
    private Object key(List<Field> keyFields, List<String> aliases, Map<String, Object> raw) {
        if (keyFields.size() == 1) {
            return values.read(keyFields.get(0).type(), raw.get(aliases.get(0)));
        }
        List<Object> parts = new ArrayList<>(keyFields.size());
        for (int i = 0; i < keyFields.size(); i++) {
            parts.add(values.read(keyFields.get(i).type(), raw.get(aliases.get(i))));
        }
        return List.copyOf(parts);
    }

    private List<Object> values(Aggregate a, Map<String, Object> raw) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < a.terms().size(); i++) {
            out.add(raw.get(SelectRenderer.aggregateAlias(i)));
        }
        return out;
    }

    /** Key lists longer than the dialect's parameter limit go in several statements. */
    public List<List<Object>> chunks(List<Object> keys) {
        return chunks(keys, 1);
    }

    /** Lists of keys of {@code fields} fields each, so many per statement that their parameters fit. */
    public List<List<Object>> chunks(List<Object> keys, int fields) {
        return Chunks.of(keys, Math.max(1, keysPerStatement / dialect.keyParameters(fields)));
    }

    private static String[] names(List<Field> columns) {
        String[] names = new String[columns.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = columns.get(i).name();
        }
        return names;
    }

    /** A row of the selected fields, by field name, with GraphQL-level values. */
    private Map<String, Object> row(List<Field> columns, String[] names, Map<String, Object> raw) {
        Object[] row = new Object[names.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = cell(columns.get(i), raw.get(names[i]));
        }
        return new Row(names, row);
    }

    /** One column's value; a value the field cannot carry is {@link Unreadable}, so that only that field fails. */
    private Object cell(Field field, Object raw) {
        try {
            return values.read(field, raw);
        } catch (ArithmeticException e) {   // a number beyond the field's type: the message names the fix
            return new Unreadable(field.name(), e.getMessage());
        } catch (RuntimeException e) {   // the driver's or the parser's words stay in the log
            String text = String.valueOf(raw);
            return new Unreadable(field.name(), "the stored value " + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                    + " is not a " + (field.enumName() != null ? field.enumName() : field.type().graphqlName()));
        }
    }
}
