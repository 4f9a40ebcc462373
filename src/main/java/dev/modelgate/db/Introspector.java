package dev.modelgate.db;

import dev.modelgate.error.ErrorMapper;

import dev.modelgate.model.Field;
import dev.modelgate.model.Inflector;
import dev.modelgate.model.ScalarType;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an existing database through JDBC metadata and writes model definitions for it
 * (docs/models.md, docs/databases.md): a model per table (its primary key of one or several columns) and a
 * read-only model per view, a field per column, a {@code @belongsTo}/{@code @hasMany} (or
 * {@code @hasOne} on a unique key) pair per foreign key of one or several columns, a
 * {@code @manyToMany} pair per join table (a table whose only columns are two foreign keys), and
 * for a join table with a payload (its primary key is two foreign keys, and it has more columns)
 * both a model and a {@code @manyToMany} pair. Names do not depend on the order the database
 * lists its keys in. The result is model-language text, so what {@code introspect} prints is
 * exactly what {@code serve --introspect} serves.
 */
public final class Introspector {

    /** The definitions, and what could not be carried over (tables and columns skipped). */
    public record Result(String sdl, List<String> warnings) {
        /** The definitions parsed, as {@code serve --introspect} serves them. */
        public dev.modelgate.model.Models models() {
            return dev.modelgate.model.ModelParser.parse(List.of(new dev.modelgate.model.ModelParser.Source("(introspected)", sdl)));
        }

        /** Tells the operator what was skipped, on stderr. */
        public Result warn() {
            warnings.forEach(w -> System.err.println("modelgate: warning: " + w));
            return this;
        }
    }

    /** A column as read; {@code labels}: the values of a MySQL ENUM or a PostgreSQL enum type, else null. */
    record Column(String name, String typeName, int dataType, int size, int digits, boolean nullable, String def, boolean autoIncrement,
                  List<String> labels) {
        Column(String name, String typeName, int dataType, int size, int digits, boolean nullable, String def, boolean autoIncrement) {
            this(name, typeName, dataType, size, digits, nullable, def, autoIncrement, null);
        }

        Column withLabels(List<String> values) {
            return new Column(name, typeName, dataType, size, digits, nullable, def, autoIncrement, values);
        }
    }

    /** A foreign key of one or several columns, {@code columns.get(i)} referencing {@code targetColumns.get(i)}. */
    record ForeignKey(String table, List<String> columns, String targetTable, List<String> targetColumns) {
    }

    /**
     * A table or view as read: its columns, primary key columns in key order (empty: none),
     * foreign keys, unique and indexed columns.
     */
    record Table(String name, boolean view, List<Column> columns, List<String> primaryKey, List<ForeignKey> foreignKeys,
                 Set<String> unique, Set<String> indexed) {
    }

    /** A model being written: its name, fields (name → definition line) in order. */
    private static final class Draft {
        final Table table;
        final String name;
        final Map<String, String> fields = new LinkedHashMap<>();
        final Map<String, String> fieldOfColumn = new LinkedHashMap<>();

        Draft(Table table, String name) {
            this.table = table;
            this.name = name;
        }

        /** A view, or a table without a primary key: served for reading only. */
        boolean readOnly() {
            return table.view() || table.primaryKey().isEmpty();
        }

        /** A field name not taken yet: {@code preferred}, else {@code fallback}, else a numbered one. */
        String freeName(String preferred, String fallback) {
            if (!fields.containsKey(preferred)) {
                return preferred;
            }
            if (!fields.containsKey(fallback)) {
                return fallback;
            }
            int i = 2;
            while (fields.containsKey(fallback + i)) {
                i++;
            }
            return fallback + i;
        }
    }

    private static final Pattern CAST = Pattern.compile("^(.*?)::[\\w\\s\"]+(\\[])?$");
    private static final Pattern NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");

    private final List<String> warnings = new ArrayList<>();
    private final Set<String> widened = new HashSet<>();
    /** What this database's catalog holds beside JDBC's metadata. */
    private final Vendor.Catalog beside;
    /** Enum definitions written so far, by GraphQL name. */
    private final Map<String, String> enums = new LinkedHashMap<>();

    private Introspector(Vendor vendor) {
        this.beside = vendor.catalog();
    }

    public static Result read(Database db) {
        try (Connection c = db.dataSource().getConnection()) {
            Introspector in = new Introspector(db.vendor());
            return new Result(in.write(in.tables(c, c.getMetaData(), c.getCatalog(), c.getSchema())), List.copyOf(in.warnings));
        } catch (SQLException e) {
            throw ErrorMapper.map(DbFailures.translate(e));
        }
    }

    // ---- reading ----

    private List<Table> tables(Connection c, DatabaseMetaData md, String catalog, String schema) throws SQLException {
        Map<String, Boolean> names = new TreeMap<>();   // name → is a view
        try (ResultSet rs = md.getTables(catalog, schema, "%", new String[]{"TABLE", "VIEW"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (!name.toLowerCase(Locale.ROOT).startsWith("sqlite_") && !name.equalsIgnoreCase(Migrations.HISTORY)) {
                    names.put(name, "VIEW".equalsIgnoreCase(rs.getString("TABLE_TYPE")));
                }
            }
        }
        List<Table> out = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : names.entrySet()) {
            String t = e.getKey();
            List<Column> columns = new ArrayList<>();
            try (ResultSet rs = md.getColumns(catalog, schema, t, "%")) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"), rs.getInt("DATA_TYPE"),
                            rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"), rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                            rs.getString("COLUMN_DEF"), "YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT"))));
                }
            }
            if (beside.typesFromDdl()) {
                columns = sqliteDeclared(c, t, columns);
            }
            if (beside.columnTypeDetails() && !e.getValue()) {
                zeroDateColumns(c, t, columns);
            }
            columns = withLabels(c, t, columns);
            if (e.getValue()) {
                // a view's columns are nullable: PostgreSQL cannot tell, and an outer join in a view can make a NULL of anything
                columns = columns.stream().map(col -> new Column(col.name(), col.typeName(), col.dataType(), col.size(), col.digits(),
                        true, col.def(), col.autoIncrement(), col.labels())).toList();
                out.add(new Table(t, true, columns, List.of(), List.of(), Set.of(), Set.of()));
                continue;
            }
            TreeMap<Integer, String> pk = new TreeMap<>();
            try (ResultSet rs = md.getPrimaryKeys(catalog, schema, t)) {
                while (rs.next()) {
                    pk.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
            List<ForeignKey> fks = beside.foreignKeysByPragma() ? sqliteForeignKeys(c, t, names) : foreignKeys(md, catalog, schema, t);
            Map<String, List<String>> uniqueIndexes = new TreeMap<>();
            Map<String, List<String>> plainIndexes = new TreeMap<>();
            try (ResultSet rs = md.getIndexInfo(catalog, schema, t, false, false)) {
                while (rs.next()) {
                    String index = rs.getString("INDEX_NAME");
                    String column = rs.getString("COLUMN_NAME");
                    if (index == null || column == null) {
                        continue;
                    }
                    (rs.getBoolean("NON_UNIQUE") ? plainIndexes : uniqueIndexes).computeIfAbsent(index, k -> new ArrayList<>()).add(column);
                }
            }
            Set<String> unique = new HashSet<>();
            uniqueIndexes.values().stream().filter(cols -> cols.size() == 1).forEach(cols -> unique.add(cols.get(0)));
            Set<String> indexed = new HashSet<>();
            plainIndexes.values().stream().filter(cols -> cols.size() == 1).forEach(cols -> indexed.add(cols.get(0)));
            out.add(new Table(t, false, columns, List.copyOf(pk.values()), fks, unique, indexed));
        }
        return out;
    }

    /** MySQL columns (table + "." + column) that hold zero dates for "no date": served nullable, written back as the zero date. */
    private final Set<String> zeroDates = new HashSet<>();

    /**
     * A NOT NULL date column of MySQL whose default is a zero date ({@code '0000-00-00 00:00:00'},
     * WordPress's way of saying "no date") or that holds one: its rows read the zero date as null,
     * so the field is nullable. One {@code LIMIT 1} look per NOT NULL date column without such a default.
     */
    private void zeroDateColumns(Connection c, String table, List<Column> columns) throws SQLException {
        for (Column col : columns) {
            String type = col.typeName().toUpperCase(Locale.ROOT);
            if (col.nullable() || !(type.startsWith("DATE") || type.startsWith("TIMESTAMP"))) {
                continue;
            }
            boolean zero = col.def() != null && col.def().replace("'", "").startsWith("0000-00-00");
            if (!zero) {
                String q = "`" + col.name().replace("`", "``") + "`";
                try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1 FROM `" + table.replace("`", "``")
                        + "` WHERE " + q + " < '0001-01-01' LIMIT 1")) {
                    zero = rs.next();
                }
            }
            if (zero) {
                zeroDates.add(table + "." + col.name());
            }
        }
    }

    private static final Pattern SIZE = Pattern.compile("^\\s*([^(]*?)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)\\s*(.*)$");

    /**
     * SQLite's columns with the type as declared ({@code DECIMAL(4,2)}, {@code VARCHAR(20)}): the
     * driver's metadata loses the size and scale. Type, size and digits come from the declaration.
     */
    private static List<Column> sqliteDeclared(Connection c, String t, List<Column> columns) throws SQLException {
        Map<String, String> declared = new java.util.HashMap<>();
        try (var st = c.prepareStatement("SELECT name, type FROM pragma_table_info(?)")) {
            st.setString(1, t);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    declared.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        List<Column> out = new ArrayList<>();
        for (Column col : columns) {
            String type = declared.get(col.name());
            Matcher m = type == null ? null : SIZE.matcher(type);
            if (m != null && m.matches()) {
                String base = (m.group(1) + (m.group(4).isEmpty() ? "" : " " + m.group(4))).trim();
                out.add(new Column(col.name(), base, col.dataType(), Integer.parseInt(m.group(2)),
                        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), col.nullable(), col.def(), col.autoIncrement()));
            } else {
                out.add(col);
            }
        }
        return out;
    }

    private Map<String, List<String>> pgEnums;

    /** Enum columns with their values: MySQL's ENUM(…) from its column type, PostgreSQL's enum types from pg_enum. */
    private List<Column> withLabels(Connection c, String table, List<Column> columns) throws SQLException {
        Set<String> json = beside.columnTypeDetails() ? mariadbJson(c, table) : Set.of();
        List<Column> out = new ArrayList<>();
        for (Column col : columns) {
            List<String> labels = null;
            if (json.contains(col.name())) {   // MariaDB's JSON is LONGTEXT with a json_valid check
                col = new Column(col.name(), "JSON", col.dataType(), col.size(), col.digits(), col.nullable(), col.def(), col.autoIncrement());
            }
            String type = col.typeName() == null ? "" : col.typeName();
            if (beside.columnTypeDetails() && type.equalsIgnoreCase("SET")) {   // the list field's type is the column's, values and all
                try (var st = c.prepareStatement("SELECT COLUMN_TYPE FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
                    st.setString(1, table);
                    st.setString(2, col.name());
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            col = new Column(col.name(), rs.getString(1), col.dataType(), col.size(), col.digits(), col.nullable(),
                                    col.def(), col.autoIncrement());
                        }
                    }
                }
            } else if (beside.columnTypeDetails() && type.equalsIgnoreCase("ENUM")) {
                try (var st = c.prepareStatement("SELECT COLUMN_TYPE FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
                    st.setString(1, table);
                    st.setString(2, col.name());
                    try (ResultSet rs = st.executeQuery()) {
                        labels = rs.next() ? quotedList(rs.getString(1)) : null;
                    }
                }
            } else if (beside.enumTypes()) {
                if (pgEnums == null) {
                    pgEnums = new LinkedHashMap<>();
                    try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT t.typname, e.enumlabel FROM pg_type t"
                            + " JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY t.typname, e.enumsortorder")) {
                        while (rs.next()) {
                            pgEnums.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                        }
                    }
                }
                labels = pgEnums.get(type.replace("\"", ""));
            }
            out.add(labels == null ? col : col.withLabels(List.copyOf(labels)));
        }
        return out;
    }

    /** Columns of a MariaDB table declared JSON: they carry a {@code json_valid(column)} check. */
    private static Set<String> mariadbJson(Connection c, String table) throws SQLException {
        Set<String> out = new HashSet<>();
        try (var st = c.prepareStatement("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Matcher m = Pattern.compile("^json_valid\\(`?([^`)]+)`?\\)$").matcher(rs.getString(1).trim());
                    if (m.matches()) {
                        out.add(m.group(1));
                    }
                }
            }
        } catch (SQLException e) {
            return Set.of();   // MySQL before 8.0.16 has no CHECK_CONSTRAINTS; its JSON type reports itself
        }
        return out;
    }

    /** The values of {@code enum('a','b''c')}: a, b'c. */
    static List<String> quotedList(String type) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("'((?:[^']|'')*)'").matcher(type);
        while (m.find()) {
            out.add(m.group(1).replace("''", "'"));
        }
        return out;
    }

    /** Foreign keys from JDBC metadata, grouped by constraint name, columns in key order. */
    private static List<ForeignKey> foreignKeys(DatabaseMetaData md, String catalog, String schema, String t) throws SQLException {
        Map<String, TreeMap<Integer, String[]>> byKey = new TreeMap<>();
        try (ResultSet rs = md.getImportedKeys(catalog, schema, t)) {
            while (rs.next()) {
                String keyName = rs.getString("PKTABLE_NAME") + "/" + rs.getString("FK_NAME");
                byKey.computeIfAbsent(keyName, k -> new TreeMap<>()).put(rs.getInt("KEY_SEQ"),
                        new String[]{rs.getString("FKCOLUMN_NAME"), rs.getString("PKTABLE_NAME"), rs.getString("PKCOLUMN_NAME")});
            }
        }
        List<ForeignKey> out = new ArrayList<>();
        for (TreeMap<Integer, String[]> key : byKey.values()) {
            out.add(new ForeignKey(t, key.values().stream().map(k -> k[0]).toList(), key.firstEntry().getValue()[1],
                    key.values().stream().map(k -> k[2]).toList()));
        }
        return sorted(out);
    }

    /**
     * SQLite's foreign keys from {@code PRAGMA foreign_key_list}, grouped by its key id (the
     * driver's metadata cannot tell two keys to one table apart); a key naming no target column
     * references the target's primary key.
     */
    private static List<ForeignKey> sqliteForeignKeys(Connection c, String t, Map<String, Boolean> tables) throws SQLException {
        Map<Integer, TreeMap<Integer, String[]>> byId = new TreeMap<>();
        try (var st = c.prepareStatement("SELECT id, seq, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?)")) {
            st.setString(1, t);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    byId.computeIfAbsent(rs.getInt(1), k -> new TreeMap<>()).put(rs.getInt(2),
                            new String[]{rs.getString(4), rs.getString(3), rs.getString(5)});
                }
            }
        }
        List<ForeignKey> out = new ArrayList<>();
        for (TreeMap<Integer, String[]> key : byId.values()) {
            String target = key.firstEntry().getValue()[1];
            String known = tables.keySet().stream().filter(n -> n.equalsIgnoreCase(target)).findFirst().orElse(target);
            List<String> targetColumns = key.values().stream().map(k -> k[2]).toList();
            if (targetColumns.contains(null)) {
                targetColumns = sqlitePrimaryKey(c, known);
            }
            out.add(new ForeignKey(t, key.values().stream().map(k -> k[0]).toList(), known, targetColumns));
        }
        return sorted(out);
    }

    private static List<String> sqlitePrimaryKey(Connection c, String table) throws SQLException {
        TreeMap<Integer, String> pk = new TreeMap<>();
        try (var st = c.prepareStatement("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    pk.put(rs.getInt(2), rs.getString(1));
                }
            }
        }
        return List.copyOf(pk.values());
    }

    /** Foreign keys in an order that does not depend on the database: by target table, then key columns. */
    private static List<ForeignKey> sorted(List<ForeignKey> keys) {
        List<ForeignKey> out = new ArrayList<>(keys);
        out.sort(java.util.Comparator.comparing(ForeignKey::targetTable).thenComparing(k -> String.join(",", k.columns())));
        return List.copyOf(out);
    }

    // ---- writing ----

    private String write(List<Table> tables) {
        widenKeys(tables);
        Map<String, Draft> drafts = new LinkedHashMap<>();
        Set<String> modelNames = new HashSet<>();
        List<Table> joinTables = new ArrayList<>();
        Map<String, String> names = modelNames(tables);
        for (Table t : tables) {
            if (isJoinTable(t, tables)) {
                joinTables.add(t);
                continue;
            }
            String name = names.get(t.name());
            if (!NAME.matcher(name).matches() || !modelNames.add(name)) {
                warnings.add(t.name() + ": its model name " + name + " is not a valid or free GraphQL name; "
                        + (t.view() ? "view" : "table") + " skipped");
                continue;
            }
            Draft d = new Draft(t, name);
            for (Column c : t.columns()) {
                scalarField(d, c);
            }
            if (!d.fieldOfColumn.keySet().containsAll(t.primaryKey())) {
                warnings.add(t.name() + ": its primary key has a type Modelgate cannot map; table skipped");
                modelNames.remove(name);
                continue;
            }
            if (t.primaryKey().isEmpty() && !t.view()) {
                warnings.add(t.name() + ": no primary key; served read-only (lists, filters and aggregates, no lookup by key, no mutations)");
            }
            drafts.put(t.name(), d);
        }
        for (Draft d : drafts.values()) {
            for (ForeignKey fk : d.table.foreignKeys()) {
                relate(d, fk, drafts);
            }
        }
        for (Table j : joinTables) {
            link(drafts, j, j.foreignKeys().get(0), j.foreignKeys().get(1));
        }
        for (Draft d : drafts.values()) {
            ForeignKey[] pair = payloadKeys(d.table, tables);
            if (pair != null) {   // a join table with a payload: a model, and a many-to-many through it as well
                link(drafts, d.table, pair[0], pair[1]);
            }
        }
        Map<Draft, String> plurals = plurals(drafts.values());
        StringBuilder out = new StringBuilder("# Model definitions read from the database by `modelgate introspect`.\n");
        enums.values().forEach(e -> out.append('\n').append(e));
        for (Draft d : drafts.values()) {
            out.append('\n').append("type ").append(d.name).append(" @model(table: ").append(quote(d.table.name()))
                    .append(plurals.containsKey(d) ? ", plural: " + quote(plurals.get(d)) : "")
                    .append(d.readOnly() ? ", readOnly: true" : "").append(") {\n");
            d.fields.forEach((field, definition) -> out.append("  ").append(field).append(": ").append(definition).append('\n'));
            out.append("}\n");
        }
        return out.toString();
    }

    /**
     * The model name of every table that is not a plain join table: its singular PascalCase, unless
     * that clashes with a type the API has anyway or derives for another model ({@code strings} →
     * {@code String}, {@code state_where} beside {@code states}); then {@code <Name>Row}, said in a warning.
     */
    private Map<String, String> modelNames(List<Table> tables) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Table t : tables) {
            if (!isJoinTable(t, tables)) {
                out.put(t.name(), Inflector.modelOfTable(t.name()));
            }
        }
        Set<String> taken = new HashSet<>(out.values());
        for (Map.Entry<String, String> e : out.entrySet()) {
            String name = e.getValue();
            Set<String> others = new HashSet<>(taken);
            others.remove(name);
            String reason = Inflector.clash(name, others);
            if (reason != null) {
                String renamed = Inflector.unclashed(name, taken);
                warnings.add(e.getKey() + ": model " + renamed + ", not " + name + " (" + reason + ")");
                taken.add(renamed);
                e.setValue(renamed);
            }
        }
        return out;
    }

    /**
     * Plurals for the models whose default API names would clash with another model's
     * ({@code staff}'s list is {@code staffList}, which is also the lookup of a table
     * {@code staff_list}): lookups by key keep their names, a clashing plural gets {@code Rows}.
     */
    private static Map<Draft, String> plurals(java.util.Collection<Draft> drafts) {
        Set<String> taken = new HashSet<>();
        for (Draft d : drafts) {
            if (!d.table.primaryKey().isEmpty()) {
                taken.add(Inflector.singularField(d.name));
            }
        }
        Map<Draft, String> out = new java.util.HashMap<>();
        for (Draft d : drafts) {
            String plural = Inflector.pluralField(d.name);
            if (plural.equals(Inflector.singularField(d.name))) {
                plural = plural + "List";
            }
            String candidate = plural;
            for (int i = 1; taken.contains(candidate) || taken.contains(candidate + "Aggregate"); i++) {
                candidate = plural + "Rows" + (i == 1 ? "" : i);
            }
            taken.add(candidate);
            taken.add(candidate + "Aggregate");
            if (!candidate.equals(plural)) {
                out.put(d, candidate);
            }
        }
        return out;
    }

    /** A many-to-many pair through {@code join}, whose keys {@code a} and {@code b} reference the two sides. */
    private void link(Map<String, Draft> drafts, Table join, ForeignKey a, ForeignKey b) {
        Draft da = drafts.get(a.targetTable());
        Draft db = drafts.get(b.targetTable());
        if (da == null || db == null || da.readOnly() || db.readOnly()) {
            warnings.add(join.name() + ": a join table to a skipped or read-only table; no many-to-many through it");
            return;
        }
        manyToMany(da, db, join, a, b);
        manyToMany(db, da, join, b, a);
    }

    /**
     * A key and the primary key it references must have one type: where one is Int and the other
     * Long (SQLite's rowid keys are INTEGER whatever the model said), both become Long.
     */
    private void widenKeys(List<Table> tables) {
        for (Table t : tables) {
            for (ForeignKey fk : t.foreignKeys()) {
                for (int i = 0; i < fk.columns().size(); i++) {
                    Column key = column(tables, t.name(), fk.columns().get(i));
                    Column target = column(tables, fk.targetTable(), fk.targetColumns().get(i));
                    if (key == null || target == null) {
                        continue;
                    }
                    ScalarType a = typeOf(key);
                    ScalarType b = typeOf(target);
                    if (a != b && Set.of(ScalarType.INT, ScalarType.LONG).containsAll(java.util.Arrays.asList(a, b))) {
                        widened.add(t.name() + "." + fk.columns().get(i));
                        widened.add(fk.targetTable() + "." + fk.targetColumns().get(i));
                    }
                }
            }
        }
    }

    private static Column column(List<Table> tables, String table, String column) {
        return tables.stream().filter(t -> t.name().equals(table)).flatMap(t -> t.columns().stream())
                .filter(c -> c.name().equals(column)).findFirst().orElse(null);
    }

    /** Whether a foreign key references the whole primary key of a table that has one. */
    private static boolean referencesKey(ForeignKey fk, List<Table> tables) {
        Table target = tables.stream().filter(x -> x.name().equals(fk.targetTable())).findFirst().orElse(null);
        return target != null && !target.view() && !target.primaryKey().isEmpty()
                && new HashSet<>(fk.targetColumns()).equals(new HashSet<>(target.primaryKey()))
                && fk.targetColumns().size() == target.primaryKey().size();
    }

    /** A plain join table: its only columns are two foreign keys, each to a whole primary key. */
    private static boolean isJoinTable(Table t, List<Table> tables) {
        if (t.view() || t.foreignKeys().size() != 2) {
            return false;
        }
        Set<String> keyColumns = new HashSet<>();
        int n = 0;
        for (ForeignKey fk : t.foreignKeys()) {
            if (!referencesKey(fk, tables)) {
                return false;
            }
            keyColumns.addAll(fk.columns());
            n += fk.columns().size();
        }
        Set<String> columns = new HashSet<>();
        t.columns().forEach(c -> columns.add(c.name()));
        return keyColumns.size() == n && columns.equals(keyColumns);
    }

    /**
     * The two foreign keys that make a table a join table with a payload: together they are its
     * primary key, each references a whole primary key, and the table has more columns; else null.
     */
    private static ForeignKey[] payloadKeys(Table t, List<Table> tables) {
        if (t.view() || t.primaryKey().isEmpty() || t.columns().size() <= t.primaryKey().size()) {
            return null;
        }
        Set<String> pk = new HashSet<>(t.primaryKey());
        List<ForeignKey> fks = t.foreignKeys().stream().filter(fk -> referencesKey(fk, tables) && pk.containsAll(fk.columns())).toList();
        for (int i = 0; i < fks.size(); i++) {
            for (int j = i + 1; j < fks.size(); j++) {
                Set<String> both = new HashSet<>(fks.get(i).columns());
                both.addAll(fks.get(j).columns());
                if (both.equals(pk) && both.size() == fks.get(i).columns().size() + fks.get(j).columns().size()) {
                    return new ForeignKey[]{fks.get(i), fks.get(j)};
                }
            }
        }
        return null;
    }

    private void scalarField(Draft d, Column c) {
        String list = listType(c);
        if (list != null) {
            listField(d, c, list);
            return;
        }
        ScalarType type = c.labels() != null ? ScalarType.ENUM
                : widened.contains(d.table.name() + "." + c.name()) ? ScalarType.LONG : typeOf(c);
        if (type == null) {
            warnings.add(d.table.name() + "." + c.name() + ": type " + c.typeName() + " has no Modelgate type; column skipped");
            return;
        }
        String field = freeField(d, c);
        boolean isKey = d.table.primaryKey().contains(c.name());
        Map<String, String> labelNames = type == ScalarType.ENUM ? enumNames(c.labels()) : Map.of();
        String typeName = type == ScalarType.ENUM ? enumType(d.name + Inflector.upperFirst(field), labelNames) : graphqlType(type);
        boolean zero = zeroDates.contains(d.table.name() + "." + c.name());
        StringBuilder def = new StringBuilder(typeName).append((c.nullable() || zero) && !isKey ? "" : "!");
        if (isKey && d.table.primaryKey().size() > 1) {
            def.append(" @id");   // a composite key: never generated
        } else if (isKey) {
            // SQLite's INTEGER PRIMARY KEY is the rowid: generated whether or not AUTOINCREMENT is written
            boolean generated = c.autoIncrement() || (c.def() != null && c.def().toLowerCase(Locale.ROOT).startsWith("nextval("))
                    || (beside.rowidKeys() && c.typeName().equalsIgnoreCase("INTEGER"));
            def.append(generated ? " @id" : " @id(generated: false)");
        }
        List<String> column = new ArrayList<>();
        if (!Inflector.snake(field).equals(c.name())) {
            column.add("name: " + quote(c.name()));
        }
        String upper = c.typeName().toUpperCase(Locale.ROOT);
        if (type == ScalarType.STRING) {
            if (upper.contains("CHAR") && !upper.contains("LARGE OBJECT") && c.size() >= 1_000_000) {
                column.add("type: \"TEXT\"");   // a VARCHAR without a length (PostgreSQL's varchar, H2's TEXT): no limit
            } else if (upper.contains("CHAR") && !upper.contains("LARGE OBJECT")) {
                if (c.size() > 0 && c.size() != Field.DEFAULT_LENGTH) {
                    column.add("length: " + c.size());
                }
            } else {
                column.add("type: " + quote(upper));
            }
        }
        if (type == ScalarType.JSON && Field.SPATIAL.contains(upper)) {
            column.add("type: " + quote(upper));
        }
        if (type == ScalarType.BIG_DECIMAL && c.size() > 0 && !(c.size() == Field.DEFAULT_PRECISION && c.digits() == Field.DEFAULT_SCALE)) {
            column.add("precision: " + c.size());
            column.add("scale: " + c.digits());
        }
        if (zero) {
            column.add("zeroDates: true");
        }
        if (!column.isEmpty()) {
            def.append(" @column(").append(String.join(", ", column)).append(")");
        }
        if (!isKey && d.table.unique().contains(c.name())) {
            def.append(" @unique");
        } else if (!isKey && d.table.indexed().contains(c.name())
                && d.table.foreignKeys().stream().noneMatch(fk -> fk.columns().contains(c.name()))) {
            def.append(" @index");
        }
        String literal = isKey ? null : defaultLiteral(type, c.def());
        if (type == ScalarType.ENUM && literal != null) {
            literal = labelNames.get(literal);   // the default as the enum value that stores it
        }
        if (literal != null) {
            def.append(" @default(value: ").append(quote(literal)).append(")");
        } else if (!isKey && defaultSql(type, c.def()) != null) {   // the database fills it: optional on create
            def.append(" @default(sql: ").append(quote(defaultSql(type, c.def()))).append(")");
        }
        d.fields.put(field, def.toString());
        d.fieldOfColumn.put(c.name(), field);
    }

    /**
     * GraphQL names for stored enum labels, in order: the label where it is a name, else made one
     * ({@code NC-17} → {@code NC_17}, {@code 4K} → {@code _4K}), a suffix where two would clash.
     */
    static Map<String, String> enumNames(List<String> labels) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (String label : labels) {
            String name = label.replaceAll("[^_0-9A-Za-z]", "_");
            if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
                name = "_" + name;
            }
            if (Set.of("true", "false", "null").contains(name)) {
                name = name.toUpperCase(Locale.ROOT);
            }
            String unique = name;
            for (int i = 2; !taken.add(unique); i++) {
                unique = name + "_" + i;
            }
            out.put(label, unique);
        }
        return out;
    }

    /** Writes {@code enum <name> { … }} for the labels (a value stored as other text gets {@code @map}) and returns its name. */
    private String enumType(String preferred, Map<String, String> labelNames) {
        String name = preferred;
        for (int i = 2; enums.containsKey(name); i++) {
            name = preferred + i;
        }
        StringBuilder sb = new StringBuilder("enum ").append(name).append(" {\n");
        labelNames.forEach((label, value) -> sb.append("  ").append(value)
                .append(label.equals(value) ? "" : " @map(name: " + quote(label) + ")").append('\n'));
        enums.put(name, sb.append("}\n").toString());
        return name;
    }

    private static String freeField(Draft d, Column c) {
        String field = fieldName(c.name());
        if (!NAME.matcher(field).matches() || d.fields.containsKey(field)) {
            field = d.freeName("column" + Inflector.pascal(field.replaceAll("\\W", "_")), "column");
        }
        return field;
    }

    /**
     * The raw type of a list column, as a model's {@code @column(type:)} says it: MySQL's
     * {@code SET('a','b')}, a PostgreSQL array such as {@code TEXT[]}; null for any other column.
     */
    private static String listType(Column c) {
        String t = c.typeName() == null ? "" : c.typeName();
        if (t.toUpperCase(Locale.ROOT).startsWith("SET(")) {
            return t;
        }
        if (c.dataType() == Types.ARRAY && t.startsWith("_")) {
            return t.substring(1).toUpperCase(Locale.ROOT) + "[]";
        }
        return null;
    }

    /** A list field: {@code [String!]} for a SET, {@code [T]} of the element type for an array. */
    private void listField(Draft d, Column c, String raw) {
        boolean set = raw.toUpperCase(Locale.ROOT).startsWith("SET(");
        ScalarType element = set ? ScalarType.STRING
                : typeOf(new Column(c.name(), raw.substring(0, raw.length() - 2), Types.OTHER, 0, 0, true, null, false));
        if (element == null || element == ScalarType.JSON || element == ScalarType.BYTES) {
            warnings.add(d.table.name() + "." + c.name() + ": an array of " + raw + " has no Modelgate type; column skipped");
            return;
        }
        String field = freeField(d, c);
        String def = "[" + graphqlType(element) + (set ? "!" : "") + "]" + (c.nullable() ? "" : "!")
                + " @column(" + (Inflector.snake(field).equals(c.name()) ? "" : "name: " + quote(c.name()) + ", ")
                + "type: " + quote(raw) + ")";
        d.fields.put(field, def);
        d.fieldOfColumn.put(c.name(), field);
    }

    /** A column's field name: {@code state_id}, {@code STATE_ID}, {@code stateId} → {@code stateId}. */
    private static String fieldName(String column) {
        return Inflector.camel(column.equals(column.toUpperCase(Locale.ROOT)) ? column.toLowerCase(Locale.ROOT) : column);
    }

    /**
     * The {@code @belongsTo} on the referencing model and its inverse. Names come from the key
     * columns: {@code language_id} → {@code language}; a second key to the same table gets its
     * inverse named by its columns ({@code filmsByOriginalLanguageId}), whatever order the
     * database lists the keys in.
     */
    private void relate(Draft from, ForeignKey fk, Map<String, Draft> drafts) {
        Draft to = drafts.get(fk.targetTable());
        List<String> keyFields = to == null || to.readOnly() ? null : keyFields(from, fk, to.table.primaryKey());
        if (keyFields == null) {
            warnings.add(from.table.name() + "." + String.join(",", fk.columns())
                    + ": its foreign key does not reference the primary key of a model; not a relationship");
            return;
        }
        String byColumns = "By" + fk.columns().stream().map(c -> Inflector.upperFirst(fieldName(c))).reduce("", String::concat);
        String base = fk.columns().size() == 1 ? fk.columns().get(0).replaceAll("(?i)_?id$", "") : "";
        String preferred = base.isEmpty() ? Inflector.lowerFirst(to.name) : fieldName(base);
        // a key column without an _id suffix names the scalar itself (emp_no → empNo): then the target's name
        String toOne = from.fields.containsKey(preferred) && !from.fields.containsKey(Inflector.lowerFirst(to.name))
                ? Inflector.lowerFirst(to.name) : from.freeName(preferred, Inflector.lowerFirst(to.name) + byColumns);
        boolean required = keyFields.stream().allMatch(k -> from.fields.get(k).split(" ")[0].endsWith("!"));
        from.fields.put(toOne, to.name + (required ? "!" : "") + " @belongsTo(key: " + names(keyFields) + ")");
        boolean hasOne = (fk.columns().size() == 1 && from.table.unique().contains(fk.columns().get(0)))
                || (!from.table.primaryKey().isEmpty() && new HashSet<>(fk.columns()).equals(new HashSet<>(from.table.primaryKey())));
        String back = hasOne ? Inflector.lowerFirst(from.name) : Inflector.pluralField(from.name);
        long siblings = from.table.foreignKeys().stream().filter(k -> k.targetTable().equals(fk.targetTable())).count();
        boolean plain = siblings == 1 || preferred.equals(Inflector.lowerFirst(to.name));
        String inverse = plain ? to.freeName(back, back + byColumns) : to.freeName(back + byColumns, back + byColumns);
        to.fields.put(inverse, hasOne
                ? from.name + " @hasOne(key: " + names(keyFields) + ")"
                : "[" + from.name + "!]! @hasMany(key: " + names(keyFields) + ")");
    }

    /** The fields of {@code from} holding {@code fk}'s columns, in the order of the referenced key; null if one is not a field. */
    private static List<String> keyFields(Draft from, ForeignKey fk, List<String> targetKey) {
        if (targetKey.isEmpty() || !new HashSet<>(fk.targetColumns()).equals(new HashSet<>(targetKey))
                || fk.targetColumns().size() != targetKey.size()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String pkColumn : targetKey) {
            String field = from.fieldOfColumn.get(fk.columns().get(fk.targetColumns().indexOf(pkColumn)));
            if (field == null) {
                return null;
            }
            out.add(field);
        }
        return out;
    }

    /** Join-table columns holding {@code fk}, in the order of the referenced key. */
    private static List<String> keyColumns(ForeignKey fk, List<String> targetKey) {
        return targetKey.stream().map(pk -> fk.columns().get(fk.targetColumns().indexOf(pk))).toList();
    }

    private static void manyToMany(Draft from, Draft to, Table join, ForeignKey mine, ForeignKey other) {
        String name = from.freeName(Inflector.pluralField(to.name), Inflector.pluralField(to.name) + "Via" + Inflector.pascal(join.name()));
        from.fields.put(name, "[" + to.name + "!]! @manyToMany(table: " + quote(join.name())
                + ", key: " + names(keyColumns(mine, from.table.primaryKey()))
                + ", otherKey: " + names(keyColumns(other, to.table.primaryKey())) + ")");
    }

    /** A key argument: one quoted name, or a list of them. */
    private static String names(List<String> names) {
        return names.size() == 1 ? quote(names.get(0)) : "[" + String.join(", ", names.stream().map(Introspector::quote).toList()) + "]";
    }

    // ---- types and defaults ----

    static ScalarType typeOf(Column c) {
        String t = c.typeName() == null ? "" : c.typeName().toUpperCase(Locale.ROOT);
        if (Field.SPATIAL.contains(t)) {
            return ScalarType.JSON;   // geometry as GeoJSON, read only (before "INT" would match POINT)
        }
        boolean unsigned = t.contains("UNSIGNED");
        if (t.contains("BIGINT") && unsigned) {
            return ScalarType.BIG_DECIMAL;   // up to 2^64 - 1: beyond Long
        }
        if (t.contains("BIGINT") || t.equals("INT8") || t.contains("BIGSERIAL") || t.equals("SERIAL8")
                || unsigned && (t.startsWith("INT") || t.startsWith("INTEGER"))) {
            return ScalarType.LONG;   // INT UNSIGNED holds up to 4294967295
        }
        if (t.equals("YEAR")) {
            return ScalarType.INT;
        }
        if (t.contains("BOOL") || (t.equals("BIT") && c.size() <= 1) || (t.startsWith("TINYINT") && c.size() == 1 && c.dataType() == Types.BIT)) {
            return ScalarType.BOOLEAN;
        }
        if (t.contains("INT") || t.contains("SERIAL")) {
            return ScalarType.INT;
        }
        if (t.contains("DEC") || t.contains("NUMERIC")) {
            return ScalarType.BIG_DECIMAL;
        }
        if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
            return ScalarType.FLOAT;
        }
        if (t.contains("TIMESTAMP") || t.contains("DATETIME")) {
            return ScalarType.DATE_TIME;
        }
        if (t.equals("TIME") || t.startsWith("TIME WITHOUT") || t.equals("TIME(0)")) {
            return ScalarType.LOCAL_TIME;
        }
        if (t.contains("BLOB") || t.contains("BINARY") || t.equals("BYTEA") || t.equals("IMAGE")) {
            return ScalarType.BYTES;
        }
        if (t.equals("DATE")) {
            return ScalarType.DATE;
        }
        if (t.contains("JSON")) {
            return ScalarType.JSON;
        }
        if (t.equals("TSVECTOR")) {
            return ScalarType.STRING;   // its text, read only
        }
        if (t.contains("CHAR") || t.contains("TEXT") || t.contains("CLOB") || t.contains("STRING") || t.equals("UUID")
                || t.equals("ENUM") || t.equals("CHARACTER LARGE OBJECT")) {
            return ScalarType.STRING;
        }
        return switch (c.dataType()) {
            case Types.INTEGER, Types.SMALLINT, Types.TINYINT -> ScalarType.INT;
            case Types.BIGINT -> ScalarType.LONG;
            case Types.VARCHAR, Types.CHAR, Types.NVARCHAR, Types.NCHAR, Types.LONGVARCHAR, Types.LONGNVARCHAR, Types.CLOB -> ScalarType.STRING;
            case Types.BOOLEAN -> ScalarType.BOOLEAN;
            default -> null;
        };
    }

    private static String graphqlType(ScalarType t) {
        return switch (t) {
            case INT -> "Int";
            case LONG -> "Long";
            case FLOAT -> "Float";
            case BIG_DECIMAL -> "BigDecimal";
            case STRING, ENUM -> "String";
            case ID -> "ID";
            case BOOLEAN -> "Boolean";
            case DATE -> "Date";
            case DATE_TIME -> "DateTime";
            case JSON -> "JSON";
            case LOCAL_TIME -> "LocalTime";
            case BYTES -> "Bytes";
        };
    }

    /**
     * The {@code @default} value of a column default as each database reports it
     * ({@code 'draft'::character varying}, {@code 'draft'}, {@code 0}, {@code true},
     * {@code CURRENT_TIMESTAMP(3)}, {@code now()}, {@code (strftime(…'now'))}); null when it is an
     * expression that has no literal form.
     */
    static String defaultLiteral(ScalarType type, String raw) {
        if (raw == null) {
            return null;
        }
        String v = raw.trim();
        if (v.isEmpty() && (type == ScalarType.STRING || type == ScalarType.ENUM)) {
            return "";   // MySQL 8 reports DEFAULT '' without its quotes
        }
        Matcher cast = CAST.matcher(v);
        if (cast.matches()) {
            v = cast.group(1).trim();
        }
        while (v.startsWith("(") && v.endsWith(")")) {
            v = v.substring(1, v.length() - 1).trim();
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.equals("null") || v.isEmpty()) {
            return null;
        }
        if (type == ScalarType.DATE_TIME || type == ScalarType.DATE) {
            boolean now = lower.startsWith("current_timestamp") || lower.startsWith("now(") || lower.startsWith("current_date")
                    || lower.startsWith("curdate") || lower.startsWith("localtimestamp") || lower.contains("'now'");
            return now ? "now" : null;
        }
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
            v = v.substring(1, v.length() - 1).replace("''", "'");
        } else if (type == ScalarType.STRING || type == ScalarType.JSON) {
            // MySQL 8 reports string defaults unquoted; anything with a call in it is an expression
            if (lower.contains("(")) {
                return null;
            }
        }
        if (type == ScalarType.BOOLEAN) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "1", "t", "b'1'" -> "true";
                case "false", "0", "f", "b'0'" -> "false";
                default -> null;
            };
        }
        if (type == ScalarType.INT || type == ScalarType.LONG || type == ScalarType.FLOAT || type == ScalarType.BIG_DECIMAL) {
            try {
                new java.math.BigDecimal(v);
                return v;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return v;
    }

    /**
     * A column default with no literal form in the API (an expression, a zero date, a fixed
     * timestamp) as SQL for the DDL: as the database reports it, quoted where MySQL 8 reports a
     * literal without quotes; null when there is no default.
     */
    static String defaultSql(ScalarType type, String raw) {
        if (raw == null) {
            return null;
        }
        String v = raw.trim();
        if (v.isEmpty() || v.equalsIgnoreCase("null") || v.toLowerCase(Locale.ROOT).startsWith("null::")) {
            return null;
        }
        boolean timeLike = type == ScalarType.DATE || type == ScalarType.DATE_TIME || type == ScalarType.LOCAL_TIME;
        if (timeLike && v.matches("\\d{4}-\\d{2}-\\d{2}.*|\\d{2}:\\d{2}.*")) {
            return "'" + v + "'";
        }
        return v;
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
