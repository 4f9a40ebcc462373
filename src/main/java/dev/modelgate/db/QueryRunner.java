package dev.modelgate.db;

import dev.modelgate.ir.Aggregate;
import dev.modelgate.ir.Partition;
import dev.modelgate.ir.Select;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.sql.Dialect;
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
