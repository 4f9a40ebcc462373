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
 * (CONTRACT §1): a model per table with a single-column primary key, a field per column, a
 * {@code @belongsTo}/{@code @hasMany} (or {@code @hasOne} on a unique key) pair per foreign key,
 * and a {@code @manyToMany} pair per join table (a table whose only columns are two foreign keys).
 * The result is model-language text, so what {@code introspect} prints is exactly what
 * {@code serve --introspect} serves.
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

    record Column(String name, String typeName, int dataType, int size, int digits, boolean nullable, String def, boolean autoIncrement) {
    }

    record ForeignKey(String table, String column, String targetTable, String targetColumn) {
    }

    /** A table as read: its columns, single-column primary key (or null), foreign keys, unique and indexed columns. */
    record Table(String name, List<Column> columns, String primaryKey, List<ForeignKey> foreignKeys, Set<String> unique, Set<String> indexed) {
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
    private final boolean sqlite;

    private Introspector(boolean sqlite) {
        this.sqlite = sqlite;
    }

    public static Result read(Database db) {
        try (Connection c = db.dataSource().getConnection()) {
            Introspector in = new Introspector(db.dialect().name().equals("sqlite"));
            return new Result(in.write(in.tables(c.getMetaData(), c.getCatalog(), c.getSchema())), List.copyOf(in.warnings));
        } catch (SQLException e) {
            throw ErrorMapper.map(DbFailures.translate(e));
        }
    }

    // ---- reading ----

    private List<Table> tables(DatabaseMetaData md, String catalog, String schema) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = md.getTables(catalog, schema, "%", new String[]{"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (!name.toLowerCase(Locale.ROOT).startsWith("sqlite_")) {
                    names.add(name);
                }
            }
        }
        names.sort(String::compareTo);
        List<Table> out = new ArrayList<>();
        for (String t : names) {
            List<Column> columns = new ArrayList<>();
            try (ResultSet rs = md.getColumns(catalog, schema, t, "%")) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"), rs.getInt("DATA_TYPE"),
                            rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"), rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                            rs.getString("COLUMN_DEF"), "YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT"))));
                }
            }
            List<String> pk = new ArrayList<>();
            try (ResultSet rs = md.getPrimaryKeys(catalog, schema, t)) {
                while (rs.next()) {
                    pk.add(rs.getString("COLUMN_NAME"));
                }
            }
            List<ForeignKey> fks = new ArrayList<>();
            Map<String, Integer> columnsPerKey = new TreeMap<>();
            List<String[]> rawKeys = new ArrayList<>();
            try (ResultSet rs = md.getImportedKeys(catalog, schema, t)) {
                while (rs.next()) {
                    String keyName = rs.getString("PKTABLE_NAME") + "/" + rs.getString("FK_NAME");
                    columnsPerKey.merge(keyName, 1, Integer::sum);
                    rawKeys.add(new String[]{keyName, rs.getString("FKCOLUMN_NAME"), rs.getString("PKTABLE_NAME"), rs.getString("PKCOLUMN_NAME")});
                }
            }
            for (String[] k : rawKeys) {
                if (columnsPerKey.get(k[0]) == 1) {
                    fks.add(new ForeignKey(t, k[1], k[2], k[3]));
                } else {
                    warnings.add(t + "." + k[1] + ": a foreign key over several columns is not a relationship; skipped");
                }
            }
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
            out.add(new Table(t, columns, pk.size() == 1 ? pk.get(0) : null, fks, unique, indexed));
        }
        return out;
    }

    // ---- writing ----

    private String write(List<Table> tables) {
        widenKeys(tables);
        Map<String, Draft> drafts = new LinkedHashMap<>();
        Set<String> modelNames = new HashSet<>();
        List<Table> joinTables = new ArrayList<>();
        for (Table t : tables) {
            if (isJoinTable(t, tables)) {
                joinTables.add(t);
                continue;
            }
            if (t.primaryKey() == null) {
                warnings.add(t.name() + ": no single-column primary key; table skipped");
                continue;
            }
            String name = Inflector.modelOfTable(t.name());
            if (!NAME.matcher(name).matches() || !modelNames.add(name)) {
                warnings.add(t.name() + ": its model name " + name + " is not a valid or free GraphQL name; table skipped");
                continue;
            }
            Draft d = new Draft(t, name);
            for (Column c : t.columns()) {
                scalarField(d, c);
            }
            if (!d.fieldOfColumn.containsKey(t.primaryKey())) {
                warnings.add(t.name() + ": its primary key has a type Modelgate cannot map; table skipped");
                modelNames.remove(name);
                continue;
            }
            drafts.put(t.name(), d);
        }
        for (Draft d : drafts.values()) {
            for (ForeignKey fk : d.table.foreignKeys()) {
                relate(d, fk, drafts);
            }
        }
        for (Table j : joinTables) {
            ForeignKey a = j.foreignKeys().get(0);
            ForeignKey b = j.foreignKeys().get(1);
            Draft da = drafts.get(a.targetTable());
            Draft db = drafts.get(b.targetTable());
            if (da == null || db == null) {
                warnings.add(j.name() + ": a join table to a skipped table; skipped");
                continue;
            }
            manyToMany(da, db, j, a, b);
            manyToMany(db, da, j, b, a);
        }
        StringBuilder out = new StringBuilder("# Model definitions read from the database by `modelgate introspect`.\n");
        for (Draft d : drafts.values()) {
            out.append('\n').append("type ").append(d.name).append(" @model(table: ").append(quote(d.table.name())).append(") {\n");
            d.fields.forEach((field, definition) -> out.append("  ").append(field).append(": ").append(definition).append('\n'));
            out.append("}\n");
        }
        return out.toString();
    }

    /**
     * A key and the primary key it references must have one type: where one is Int and the other
     * Long (SQLite's rowid keys are INTEGER whatever the model said), both become Long.
     */
    private void widenKeys(List<Table> tables) {
        for (Table t : tables) {
            for (ForeignKey fk : t.foreignKeys()) {
                Column key = column(tables, t.name(), fk.column());
                Column target = column(tables, fk.targetTable(), fk.targetColumn());
                if (key == null || target == null) {
                    continue;
                }
                ScalarType a = typeOf(key);
                ScalarType b = typeOf(target);
                if (a != b && Set.of(ScalarType.INT, ScalarType.LONG).containsAll(java.util.Arrays.asList(a, b))) {
                    widened.add(t.name() + "." + fk.column());
                    widened.add(fk.targetTable() + "." + fk.targetColumn());
                }
            }
        }
    }

    private static Column column(List<Table> tables, String table, String column) {
        return tables.stream().filter(t -> t.name().equals(table)).flatMap(t -> t.columns().stream())
                .filter(c -> c.name().equals(column)).findFirst().orElse(null);
    }

    private static boolean isJoinTable(Table t, List<Table> tables) {
        if (t.columns().size() != 2 || t.foreignKeys().size() != 2) {
            return false;
        }
        Set<String> keyColumns = new HashSet<>();
        for (ForeignKey fk : t.foreignKeys()) {
            keyColumns.add(fk.column());
            Table target = tables.stream().filter(x -> x.name().equals(fk.targetTable())).findFirst().orElse(null);
            if (target == null || !fk.targetColumn().equals(target.primaryKey())) {
                return false;
            }
        }
        return keyColumns.size() == 2;
    }

    private void scalarField(Draft d, Column c) {
        ScalarType type = widened.contains(d.table.name() + "." + c.name()) ? ScalarType.LONG : typeOf(c);
        if (type == null) {
            warnings.add(d.table.name() + "." + c.name() + ": type " + c.typeName() + " has no Modelgate type; column skipped");
            return;
        }
        String field = fieldName(c.name());
        if (!NAME.matcher(field).matches() || d.fields.containsKey(field)) {
            field = d.freeName("column" + Inflector.pascal(field.replaceAll("\\W", "_")), "column");
        }
        boolean isKey = c.name().equals(d.table.primaryKey());
        StringBuilder def = new StringBuilder(graphqlType(type)).append(c.nullable() && !isKey ? "" : "!");
        if (isKey) {
            // SQLite's INTEGER PRIMARY KEY is the rowid: generated whether or not AUTOINCREMENT is written
            boolean generated = c.autoIncrement() || (c.def() != null && c.def().toLowerCase(Locale.ROOT).startsWith("nextval("))
                    || (sqlite && c.typeName().equalsIgnoreCase("INTEGER"));
            def.append(generated ? " @id" : " @id(generated: false)");
        }
        List<String> column = new ArrayList<>();
        if (!Inflector.snake(field).equals(c.name())) {
            column.add("name: " + quote(c.name()));
        }
        String upper = c.typeName().toUpperCase(Locale.ROOT);
        if (type == ScalarType.STRING) {
            if (upper.contains("CHAR") && !upper.contains("LARGE OBJECT")) {
                if (c.size() > 0 && c.size() != Field.DEFAULT_LENGTH && c.size() < 1_000_000) {
                    column.add("length: " + c.size());
                }
            } else {
                column.add("type: " + quote(upper));
            }
        }
        if (type == ScalarType.BIG_DECIMAL && c.size() > 0 && !(c.size() == Field.DEFAULT_PRECISION && c.digits() == Field.DEFAULT_SCALE)) {
            column.add("precision: " + c.size());
            column.add("scale: " + c.digits());
        }
        if (!column.isEmpty()) {
            def.append(" @column(").append(String.join(", ", column)).append(")");
        }
        if (!isKey && d.table.unique().contains(c.name())) {
            def.append(" @unique");
        } else if (!isKey && d.table.indexed().contains(c.name())
                && d.table.foreignKeys().stream().noneMatch(fk -> fk.column().equals(c.name()))) {
            def.append(" @index");
        }
        String literal = isKey ? null : defaultLiteral(type, c.def());
        if (literal != null) {
            def.append(" @default(value: ").append(quote(literal)).append(")");
        }
        d.fields.put(field, def.toString());
        d.fieldOfColumn.put(c.name(), field);
    }

    /** A column's field name: {@code state_id}, {@code STATE_ID}, {@code stateId} → {@code stateId}. */
    private static String fieldName(String column) {
        return Inflector.camel(column.equals(column.toUpperCase(Locale.ROOT)) ? column.toLowerCase(Locale.ROOT) : column);
    }

    private void relate(Draft from, ForeignKey fk, Map<String, Draft> drafts) {
        Draft to = drafts.get(fk.targetTable());
        String keyField = from.fieldOfColumn.get(fk.column());
        if (to == null || keyField == null || !fk.targetColumn().equals(to.table.primaryKey())) {
            warnings.add(from.table.name() + "." + fk.column() + ": its foreign key does not reference the primary key of a model; not a relationship");
            return;
        }
        String base = fk.column().replaceAll("(?i)_?id$", "");
        String preferred = base.isEmpty() ? Inflector.lowerFirst(to.name) : fieldName(base);
        String toOne = from.freeName(preferred, Inflector.lowerFirst(to.name) + "By" + Inflector.upperFirst(keyField));
        boolean required = from.fields.get(keyField).split(" ")[0].endsWith("!");
        from.fields.put(toOne, to.name + (required ? "!" : "") + " @belongsTo(key: " + quote(keyField) + ")");
        boolean hasOne = from.table.unique().contains(fk.column());
        String back = hasOne ? Inflector.lowerFirst(from.name) : Inflector.pluralField(from.name);
        String inverse = to.freeName(back, back + "By" + Inflector.upperFirst(keyField));
        to.fields.put(inverse, hasOne
                ? from.name + " @hasOne(key: " + quote(keyField) + ")"
                : "[" + from.name + "!]! @hasMany(key: " + quote(keyField) + ")");
    }

    private static void manyToMany(Draft from, Draft to, Table join, ForeignKey mine, ForeignKey other) {
        String name = from.freeName(Inflector.pluralField(to.name), Inflector.pluralField(to.name) + "Via" + Inflector.pascal(join.name()));
        from.fields.put(name, "[" + to.name + "!]! @manyToMany(table: " + quote(join.name()) + ", key: " + quote(mine.column())
                + ", otherKey: " + quote(other.column()) + ")");
    }

    // ---- types and defaults ----

    static ScalarType typeOf(Column c) {
        String t = c.typeName() == null ? "" : c.typeName().toUpperCase(Locale.ROOT);
        if (t.contains("BIGINT") || t.equals("INT8") || t.contains("BIGSERIAL") || t.equals("SERIAL8")) {
            return ScalarType.LONG;
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
        if (t.equals("DATE")) {
            return ScalarType.DATE;
        }
        if (t.contains("JSON")) {
            return ScalarType.JSON;
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

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
