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

    /** A foreign key held by {@code table}: its {@code columns} reference {@code refColumns} of {@code refTable}. */
    public record ForeignKey(String table, List<String> columns, String refTable, List<String> refColumns, boolean cascade) {
        String constraint(DdlGenerator g) {
            return "CONSTRAINT " + g.q(name("fk", table, String.join("_", columns))) + " FOREIGN KEY (" + g.list(columns)
                    + ") REFERENCES " + g.q(refTable) + " (" + g.list(refColumns) + ")" + (cascade ? " ON DELETE CASCADE" : "");
        }
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
            if (!m.readOnly()) {   // a view, or a table only read: Modelgate never creates it
                out.add(modelTable(m, fks.getOrDefault(m.table(), List.of())));
            }
        }
        for (Relation r : joinTables().values()) {
            out.add(joinTable(r));
        }
        return out;
    }

    /** The statements of one table the models describe (a model's or a join table's), or null. */
    public TableDdl table(String name) {
        return tables().stream().filter(t -> t.table().equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    /** Every foreign key the models declare: models' relationship keys and join tables' links. */
    public List<ForeignKey> allForeignKeys() {
        List<ForeignKey> out = new ArrayList<>();
        foreignKeys().values().forEach(out::addAll);
        for (Relation r : joinTables().values()) {
            out.addAll(joinKeys(r));
        }
        return out;
    }

    /** {@code ALTER TABLE … ADD CONSTRAINT …} for a key added to an existing table. */
    public String addForeignKey(ForeignKey fk) {
        return "ALTER TABLE " + q(fk.table()) + " ADD " + fk.constraint(this);
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
        boolean composite = m.key().size() > 1;
        for (Field f : m.fields()) {
            cols.add(q(f.column()) + " " + columnDefinition(f, !composite));
        }
        List<String> key = m.key().stream().map(Field::column).toList();
        if (composite) {
            cols.add("PRIMARY KEY (" + list(key) + ")");
        }
        List<String> alter = new ArrayList<>();
        for (ForeignKey fk : fks) {
            if (d.inlineForeignKeys()) {
                cols.add(fk.constraint(this));
            } else {
                alter.add("ALTER TABLE " + q(m.table()) + " ADD " + fk.constraint(this));
            }
        }
        // an index on every foreign key and @index field, unless the primary key or a unique column leads with it
        java.util.Set<List<String>> indexed = new java.util.LinkedHashSet<>();
        for (ForeignKey fk : fks) {
            indexed.add(fk.columns());
        }
        for (Field f : m.fields()) {
            if (f.indexed()) {
                indexed.add(List.of(f.column()));
            }
        }
        List<String> indexes = new ArrayList<>();
        for (List<String> columns : indexed) {
            boolean covered = key.size() >= columns.size() && key.subList(0, columns.size()).equals(columns)
                    || columns.size() == 1 && m.fields().stream().anyMatch(f -> f.unique() && f.column().equals(columns.get(0)));
            if (!covered) {
                indexes.add("CREATE INDEX " + q(name("ix", m.table(), String.join("_", columns))) + " ON " + q(m.table())
                        + " (" + list(columns) + ")");
            }
        }
        return new TableDdl(m.table(), cols + "\n)" + d.createTableSuffix(), indexes, alter);
    }

    /** A column as ADD COLUMN or MODIFY states it: type, NOT NULL, DEFAULT (no key or unique constraint). */
    public String columnSpec(Field f) {
        StringBuilder sb = new StringBuilder(d.columnType(f));
        if (!f.columnNullable()) {
            sb.append(" NOT NULL");
        }
        String def = d.defaultExpression(f);
        if (def != null) {
            sb.append(" DEFAULT ").append(def);
        }
        return sb.toString();
    }

    /** The name of the index Modelgate gives {@code columns} of {@code table}. */
    public String indexName(String table, List<String> columns, boolean unique) {
        return name(unique ? "ux" : "ix", table, String.join("_", columns));
    }

    /** A column's type and constraints; {@code keyInline}: a one-field primary key says PRIMARY KEY here. */
    private String columnDefinition(Field f, boolean keyInline) {
        if (f.id() && f.generated() && keyInline) {
            return d.generatedKeyDefinition(f);
        }
        StringBuilder sb = new StringBuilder(columnSpec(f));
        if (f.id() && keyInline) {
            sb.append(" PRIMARY KEY");
        } else if (f.unique() && !f.id()) {
            sb.append(" UNIQUE");
        }
        return sb.toString();
    }

    private TableDdl joinTable(Relation r) {
        Model owner = models.get(r.owner());
        Model target = models.target(r);
        String t = r.joinTable();
        StringJoiner cols = new StringJoiner(",\n  ", "CREATE TABLE " + q(t) + " (\n  ", "");
        for (int i = 0; i < r.joinKey().size(); i++) {
            cols.add(q(r.joinKey().get(i)) + " " + keyType(owner.key().get(i)) + " NOT NULL");
        }
        for (int i = 0; i < r.joinOtherKey().size(); i++) {
            cols.add(q(r.joinOtherKey().get(i)) + " " + keyType(target.key().get(i)) + " NOT NULL");
        }
        List<String> all = new ArrayList<>(r.joinKey());
        all.addAll(r.joinOtherKey());
        cols.add("PRIMARY KEY (" + list(all) + ")");
        List<ForeignKey> fks = joinKeys(r);
        List<String> alter = new ArrayList<>();
        for (ForeignKey fk : fks) {
            if (d.inlineForeignKeys()) {
                cols.add(fk.constraint(this));
            } else {
                alter.add("ALTER TABLE " + q(t) + " ADD " + fk.constraint(this));
            }
        }
        List<String> indexes = List.of("CREATE INDEX " + q(name("ix", t, String.join("_", r.joinOtherKey()))) + " ON " + q(t)
                + " (" + list(r.joinOtherKey()) + ")");
        return new TableDdl(t, cols + "\n)" + d.createTableSuffix(), indexes, alter);
    }

    /** The column type of a key referring to {@code pk}. */
    private String keyType(Field pk) {
        return d.columnType(pk);
    }

    /** A join table's two keys, each to one side's primary key; links go when either side is deleted. */
    private List<ForeignKey> joinKeys(Relation r) {
        Model owner = models.get(r.owner());
        Model target = models.target(r);
        return List.of(
                new ForeignKey(r.joinTable(), r.joinKey(), owner.table(), owner.key().stream().map(Field::column).toList(), true),
                new ForeignKey(r.joinTable(), r.joinOtherKey(), target.table(), target.key().stream().map(Field::column).toList(), true));
    }

    /** Foreign keys by the table that holds them, one per (table, column). */
    private Map<String, List<ForeignKey>> foreignKeys() {
        Map<String, ForeignKey> byColumn = new LinkedHashMap<>();
        for (Model m : models.all()) {
            for (Relation r : m.relations()) {
                Model target = models.target(r);
                Model holder = r.kind() == RelationKind.BELONGS_TO ? m : target;
                Model referenced = r.kind() == RelationKind.BELONGS_TO ? target : m;
                if (r.kind() == RelationKind.MANY_TO_MANY || holder.readOnly() || referenced.readOnly()) {
                    continue;   // join tables have their own; a view takes no constraint
                }
                List<String> columns = Models.fields(holder, r.key()).stream().map(Field::column).toList();
                ForeignKey fk = new ForeignKey(holder.table(), columns, referenced.table(),
                        referenced.key().stream().map(Field::column).toList(), false);
                byColumn.putIfAbsent(fk.table() + "\u0000" + fk.columns(), fk);
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
                boolean aModel = models.all().stream().anyMatch(x -> x.table().equalsIgnoreCase(r.joinTable()));
                if (r.kind() == RelationKind.MANY_TO_MANY && !aModel) {   // a join table with a payload is a model's table
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

    private String list(List<String> columns) {
        return String.join(", ", columns.stream().map(this::q).toList());
    }
}
