package dev.modelgate.sql;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Relation;
import dev.modelgate.model.RelationKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * DDL from the models: one table per model, one per many-to-many join table, foreign keys
 * for every relationship key (join-table links go when either side is deleted), an index
 * on every foreign-key column and every {@code @index} field.
 */
public final class DdlGenerator {

    /** The statements that create one table: CREATE TABLE, its indexes, then foreign keys added later. */
    public record TableDdl(String table, String create, List<String> indexes, List<String> foreignKeys) {
        public List<String> all() {
            List<String> out = new ArrayList<>();
            out.add(create);
            out.addAll(indexes);
            out.addAll(foreignKeys);
            return out;
        }
    }

    private record ForeignKey(String table, String column, String refTable, String refColumn, boolean cascade) {
    }

    private final Models models;
    private final Dialect d;

    public DdlGenerator(Models models, Dialect dialect) {
        this.models = models;
        this.d = dialect;
    }

    /** Every table, in an order in which they can be created. */
    public List<TableDdl> tables() {
        Map<String, List<ForeignKey>> fks = foreignKeys();
        List<TableDdl> out = new ArrayList<>();
        for (Model m : models.all()) {
            out.add(modelTable(m, fks.getOrDefault(m.table(), List.of())));
        }
        for (Relation r : joinTables().values()) {
            out.add(joinTable(r));
        }
        return out;
    }

    /** The whole schema as one script. */
    public String script() {
        StringBuilder sb = new StringBuilder();
        List<TableDdl> tables = tables();
        for (TableDdl t : tables) {
            sb.append(t.create()).append(";\n");
            t.indexes().forEach(i -> sb.append(i).append(";\n"));
            sb.append('\n');
        }
        for (TableDdl t : tables) {
            t.foreignKeys().forEach(f -> sb.append(f).append(";\n"));
        }
        return sb.toString();
    }

    private TableDdl modelTable(Model m, List<ForeignKey> fks) {
        StringJoiner cols = new StringJoiner(",\n  ", "CREATE TABLE " + q(m.table()) + " (\n  ", "");
        for (Field f : m.fields()) {
            cols.add(q(f.column()) + " " + columnDefinition(f));
        }
        List<String> alter = new ArrayList<>();
        for (ForeignKey fk : fks) {
            String constraint = "CONSTRAINT " + q(name("fk", m.table(), fk.column())) + " FOREIGN KEY (" + q(fk.column())
                    + ") REFERENCES " + q(fk.refTable()) + " (" + q(fk.refColumn()) + ")";
            if (d.inlineForeignKeys()) {
                cols.add(constraint);
            } else {
                alter.add("ALTER TABLE " + q(m.table()) + " ADD " + constraint);
            }
        }
        List<String> indexes = new ArrayList<>();
        for (Field f : m.fields()) {
            boolean fkColumn = fks.stream().anyMatch(fk -> fk.column().equals(f.column()));
            if (!f.id() && !f.unique() && (f.indexed() || fkColumn)) {
                indexes.add("CREATE INDEX " + q(name("ix", m.table(), f.column())) + " ON " + q(m.table()) + " (" + q(f.column()) + ")");
            }
        }
        return new TableDdl(m.table(), cols + "\n)" + d.createTableSuffix(), indexes, alter);
    }

    private String columnDefinition(Field f) {
        if (f.id() && f.generated()) {
            return d.generatedKeyDefinition(f);
        }
        StringBuilder sb = new StringBuilder(d.columnType(f));
        if (!f.nullable()) {
            sb.append(" NOT NULL");
        }
        String def = d.defaultExpression(f);
        if (def != null) {
            sb.append(" DEFAULT ").append(def);
        }
        if (f.id()) {
            sb.append(" PRIMARY KEY");
        } else if (f.unique()) {
            sb.append(" UNIQUE");
        }
        return sb.toString();
    }

    private TableDdl joinTable(Relation r) {
        Model owner = models.get(r.owner());
        Model target = models.target(r);
        String t = r.joinTable();
        String create = "CREATE TABLE " + q(t) + " (\n  "
                + q(r.joinKey()) + " " + keyType(owner.id()) + " NOT NULL,\n  "
                + q(r.joinOtherKey()) + " " + keyType(target.id()) + " NOT NULL,\n  "
                + "PRIMARY KEY (" + q(r.joinKey()) + ", " + q(r.joinOtherKey()) + ")";
        List<ForeignKey> fks = List.of(
                new ForeignKey(t, r.joinKey(), owner.table(), owner.id().column(), true),
                new ForeignKey(t, r.joinOtherKey(), target.table(), target.id().column(), true));
        List<String> alter = new ArrayList<>();
        for (ForeignKey fk : fks) {
            String constraint = "CONSTRAINT " + q(name("fk", t, fk.column())) + " FOREIGN KEY (" + q(fk.column())
                    + ") REFERENCES " + q(fk.refTable()) + " (" + q(fk.refColumn()) + ") ON DELETE CASCADE";
            if (d.inlineForeignKeys()) {
                create += ",\n  " + constraint;
            } else {
                alter.add("ALTER TABLE " + q(t) + " ADD " + constraint);
            }
        }
        List<String> indexes = List.of("CREATE INDEX " + q(name("ix", t, r.joinOtherKey())) + " ON " + q(t) + " (" + q(r.joinOtherKey()) + ")");
        return new TableDdl(t, create + "\n)" + d.createTableSuffix(), indexes, alter);
    }

    /** The column type of a key referring to {@code pk}. */
    private String keyType(Field pk) {
        return d.columnType(pk);
    }

    /** Foreign keys by the table that holds them, one per (table, column). */
    private Map<String, List<ForeignKey>> foreignKeys() {
        Map<String, ForeignKey> byColumn = new LinkedHashMap<>();
        for (Model m : models.all()) {
            for (Relation r : m.relations()) {
                Model target = models.target(r);
                ForeignKey fk = switch (r.kind()) {
                    case BELONGS_TO -> new ForeignKey(m.table(), m.requireField(r.key()).column(), target.table(), target.id().column(), false);
                    case HAS_MANY, HAS_ONE -> new ForeignKey(target.table(), target.requireField(r.key()).column(), m.table(), m.id().column(), false);
                    case MANY_TO_MANY -> null;
                };
                if (fk != null) {
                    byColumn.putIfAbsent(fk.table() + "\u0000" + fk.column(), fk);
                }
            }
        }
        Map<String, List<ForeignKey>> out = new LinkedHashMap<>();
        byColumn.values().forEach(fk -> out.computeIfAbsent(fk.table(), k -> new ArrayList<>()).add(fk));
        return out;
    }

    /** Join tables by name, each once even when both sides declare it. */
    private Map<String, Relation> joinTables() {
        Map<String, Relation> out = new LinkedHashMap<>();
        for (Model m : models.all()) {
            for (Relation r : m.relations()) {
                if (r.kind() == RelationKind.MANY_TO_MANY) {
                    out.putIfAbsent(r.joinTable(), r);
                }
            }
        }
        return out;
    }

    private static String name(String prefix, String table, String column) {
        String n = prefix + "_" + table + "_" + column;
        return n.length() <= 60 ? n : n.substring(0, 51) + "_" + Integer.toHexString(n.hashCode());
    }

    private String q(String identifier) {
        return d.quote(identifier);
    }
}
