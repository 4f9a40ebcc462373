package dev.modelgate.exec;

import dev.modelgate.model.Field;
import dev.modelgate.model.Keys;

import dev.modelgate.db.Database;
import dev.modelgate.db.Session;


import dev.modelgate.ir.FieldPlan;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Problem;
import dev.modelgate.model.ScalarType;
import dev.modelgate.model.SqlField;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fields bound to users' MyBatis statements ({@code @sql}). Arguments become the statement's
 * parameters by name; rows become model rows (their relationships then load through DataLoader
 * like any other), scalars, or lists. A {@code batch: true} field runs once per level with the
 * parents' {@code keys}. Mutation fields run inside the operation's transaction.
 */
final class SqlFields {
    private final Models models;
    private final dev.modelgate.db.JdbcValues values;

    SqlFields(Models models, dev.modelgate.db.JdbcValues values) {
        this.models = models;
        this.values = values;
    }

    /** Every statement an @sql field names must be loaded: the problems, one per missing id. */
    static List<Problem> missingStatements(Models models, Database db) {
        List<Problem> out = new ArrayList<>();
        for (SqlField f : models.sqlFields()) {
            if (!db.hasStatement(f.statement())) {
                out.add(new Problem(f.location(), 0, 0, f.owner() + "." + f.name() + ": @sql statement \"" + f.statement()
                        + "\" is not in the mapper files (check the mapper's namespace and the statement's id)"));
            }
        }
        return out;
    }

    /** A root field's value: its statement run once with the field's arguments. */
    Object root(Session s, FieldPlan.Sql p) {
        return run(s, p.field(), new HashMap<>(p.args()));
    }

    /**
     * A model's field for a whole level of parent rows, by parent key: one statement with the
     * level's {@code keys} ({@code batch: true}), else one per parent with its columns and {@code key}.
     */
    Map<Object, Object> level(Session s, Telemetry t, FieldPlan.Sql p, List<Map<String, Object>> parents) {
        SqlField f = p.field();
        Map<Object, Map<String, Object>> byKey = new LinkedHashMap<>();
        for (Map<String, Object> parent : parents) {
            Object key = Keys.of(parent, p.parentKey());
            if (key != null) {
                byKey.putIfAbsent(key, parent);
            }
        }
        if (f.batch()) {
            Model owner = models.get(f.owner());
            return Reads.level(byKey.keySet(), keys -> {
                t.batch(keys.size());
                Map<String, Object> params = new HashMap<>(p.args());
                params.put("keys", keys.stream().map(k -> keyParameter(owner.key(), k)).toList());
                return batch(s, f, owner, params);
            }, org.dataloader.DataLoaderOptions.newOptions().build());
        }
        Map<Object, Object> out = new HashMap<>();
        byKey.forEach((key, parent) -> {
            Map<String, Object> params = new HashMap<>(p.args());
            params.putAll(parent);
            params.put("key", keyParameter(p.parentKey(), key));
            Object v = run(s, f, params);
            if (v != null) {
                out.put(key, v);
            }
        });
        return out;
    }

    private Object run(Session s, SqlField f, Map<String, Object> params) {
        if (!s.isSelect(f.statement())) {
            return s.updateMapped(f.statement(), params);
        }
        List<Object> values = s.selectMapped(f.statement(), params).stream().map(row -> value(f.type(), row)).toList();
        return f.type().list() ? values : values.isEmpty() ? null : values.get(0);
    }

    /** Rows of {@code key} and {@code value}, by parent key (a list per key for a list field). */
    private Map<Object, Object> batch(Session s, SqlField f, Model owner, Map<String, Object> params) {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Object row : s.selectMapped(f.statement(), params)) {
            Map<String, Object> r = asMap(row, f);
            Object key = batchKey(owner.key(), r);
            Object value = value(f.type(), column(r, "value"));
            if (f.type().list()) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) out.computeIfAbsent(key, k -> new ArrayList<>());
                list.add(value);
            } else {
                out.putIfAbsent(key, value);
            }
        }
        return out;
    }

    /** A parent key as a statement sees it: the value of a one-field key, a map by field name of a composite one. */
    private static Object keyParameter(List<Field> key, Object value) {
        if (key.size() == 1) {
            return value;
        }
        List<Object> parts = Keys.parts(value, key.size());
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < key.size(); i++) {
            out.put(key.get(i).name(), parts.get(i));
        }
        return out;
    }

    /** The parent key of a batch row: its {@code key} column, or one column per key field, named by the field. */
    private Object batchKey(List<Field> key, Map<String, Object> row) {
        if (key.size() == 1) {
            return values.read(key.get(0).type(), column(row, "key"));
        }
        List<Object> parts = new ArrayList<>(key.size());
        for (Field f : key) {
            parts.add(values.read(f.type(), column(row, f.name())));
        }
        return List.copyOf(parts);
    }

    /** A row (or one column value) as the GraphQL value of the field's type. */
    private Object value(SqlField.TypeRef type, Object raw) {
        if (models.all().stream().anyMatch(m -> m.name().equals(type.name()))) {
            Model m = models.get(type.name());
            Map<String, Object> row = asMap(raw, null);
            Map<String, Object> out = new LinkedHashMap<>();
            for (Field field : m.fields()) {
                Object v = column(row, field.column());
                out.put(field.name(), values.read(field.type(), v != null ? v : column(row, field.name())));
            }
            return out;
        }
        Object v = raw instanceof Map<?, ?> map ? (map.isEmpty() ? null : map.values().iterator().next()) : raw;
        ScalarType st = ScalarType.byGraphqlName(type.name());
        return values.read(st != null ? st : ScalarType.ENUM, v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object row, SqlField batchField) {
        if (row instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalStateException(batchField != null
                ? batchField.statement() + " must return rows with the columns key and value (resultType=\"map\")"
                : "a statement returning a model must return rows (resultType=\"map\")");
    }

    /** A column by name, in any letter case (databases fold labels differently). */
    private static Object column(Map<String, Object> row, String name) {
        Object v = row.get(name);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
