package dev.modelgate.migrate;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Relation;
import dev.modelgate.model.RelationKind;
import dev.modelgate.model.Rename;
import dev.modelgate.sql.DdlGenerator;
import dev.modelgate.sql.Dialect;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What takes a database to the models (docs/migrations.md): the models compared with the database as
 * introspection reads it, table by table and column by column, as a list of {@link Change}s.
 * Pure: no SQL runs here ({@code hasRows} answers the one question the data decides).
 * Destructive changes are marked; refusals are the changes that would lose or break data.
 */
public final class SchemaDiff {

    /** One change to the database. */
    public sealed interface Change {
        /** The table it changes. */
        String table();

        /** What it does, for people: {@code add column books.isbn}. */
        String describe();

        /** Whether it can lose data: drops, narrowing, NULL → NOT NULL. */
        default boolean destructive() {
            return false;
        }
    }

    /** A table the models have and the database has not: a model's, or a many-to-many join table. */
    public record CreateTable(String table) implements Change {
        public String describe() {
            return "create table " + table;
        }
    }

    public record RenameTable(String from, String table) implements Change {
        public String describe() {
            return "rename table " + from + " to " + table;
        }
    }

    public record AddColumn(Model model, Field field) implements Change {
        public String table() {
            return model.table();
        }

        public String describe() {
            return "add column " + model.table() + "." + field.column();
        }
    }

    public record RenameColumn(Model model, String from, Field field) implements Change {
        public String table() {
            return model.table();
        }

        public String describe() {
            return "rename column " + model.table() + "." + from + " to " + field.column();
        }
    }

    /** What about a column changes. */
    public enum Alteration { TYPE, NULLABLE, DEFAULT }

    /** A column whose type, nullability or default the models change; {@code current} as the database has it. */
    public record AlterColumn(Model model, Field field, Field current, String fromType, String toType, Set<Alteration> what,
                              boolean destructive) implements Change {
        public String table() {
            return model.table();
        }

        public String describe() {
            List<String> parts = new ArrayList<>();
            if (what.contains(Alteration.TYPE)) {
                parts.add("type " + fromType + " → " + toType);
            }
            if (what.contains(Alteration.NULLABLE)) {
                parts.add(field.columnNullable() ? "NOT NULL → NULL" : "NULL → NOT NULL");
            }
            if (what.contains(Alteration.DEFAULT)) {
                parts.add("default " + current.defaultValue() + " → " + field.defaultValue());
            }
            return "alter column " + model.table() + "." + field.column() + ": " + String.join(", ", parts);
        }
    }

    public record CreateIndex(Model model, List<String> columns, boolean unique) implements Change {
        public String table() {
            return model.table();
        }

        public String describe() {
            return "create " + (unique ? "unique " : "") + "index on " + model.table() + " (" + String.join(", ", columns) + ")";
        }
    }

    public record AddForeignKey(DdlGenerator.ForeignKey key) implements Change {
        public String table() {
            return key.table();
        }

        public String describe() {
            return "add foreign key " + key.table() + " (" + String.join(", ", key.columns()) + ") → " + key.refTable();
        }
    }

    /** A single-column unique constraint (or unique index) the models no longer have. */
    public record DropUnique(Model model, String column) implements Change {
        public String table() {
            return model.table();
        }

        public String describe() {
            return "drop unique constraint on " + model.table() + "." + column;
        }

        public boolean destructive() {
            return true;
        }
    }

    public record DropColumn(Model model, String column) implements Change {
        public String table() {
            return model.table();
        }

        public String describe() {
            return "drop column " + model.table() + "." + column;
        }

        public boolean destructive() {
            return true;
        }
    }

    public record DropTable(String table) implements Change {
        public String describe() {
            return "drop table " + table;
        }

        public boolean destructive() {
            return true;
        }
    }

    /** The changes, in an order that runs, and what was refused (a new NOT NULL column without a default on a table with rows). */
    public record Result(List<Change> changes, List<String> refused) {
        public List<Change> destructive() {
            return changes.stream().filter(Change::destructive).toList();
        }
    }

    private final Models target;
    private final Models current;
    private final Set<String> tables;
    private final Predicate<String> hasRows;
    private final Dialect dialect;
    private final DdlGenerator ddl;
    private final List<DdlGenerator.ForeignKey> foreignKeys;   // every key the models declare, computed once

    /**
     * @param current what introspection reads from the database
     * @param tables  the database's tables, lower-cased (join tables too, which introspection makes no model of)
     * @param hasRows whether a table (by name) has any row
     */
    public SchemaDiff(Models target, Models current, Set<String> tables, Predicate<String> hasRows, Dialect dialect) {
        this.target = target;
        this.current = current;
        this.tables = tables;
        this.hasRows = hasRows;
        this.dialect = dialect;
        this.ddl = new DdlGenerator(target, dialect);
        this.foreignKeys = ddl.allForeignKeys();
    }

    public Result compare() {
        List<Change> renames = new ArrayList<>();
        List<Change> creates = new ArrayList<>();
        List<Change> columns = new ArrayList<>();
        List<Change> indexes = new ArrayList<>();
        List<Change> keys = new ArrayList<>();
        List<Change> drops = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Set<String> created = new HashSet<>();
        Set<String> kept = new HashSet<>();   // the database's tables the models still have, lower-cased

        for (Model m : target.all()) {
            if (m.readOnly()) {
                kept.add(lower(m.table()));
                continue;   // views and tables only read: not the models' to change
            }
            String table = lower(m.table());
            String from = tableRenamedFrom(m);
            if (!tables.contains(table) && from != null && tables.contains(lower(from))) {
                renames.add(new RenameTable(from, m.table()));
                kept.add(lower(from));
                compareColumns(m, currentOf(from), columns, indexes, drops, refused);
                continue;
            }
            if (!tables.contains(table)) {
                creates.add(new CreateTable(m.table()));
                created.add(table);
                continue;
            }
            kept.add(table);
            compareColumns(m, currentOf(m.table()), columns, indexes, drops, refused);
        }
        for (Model m : target.all()) {
            for (Relation r : m.relations()) {
                String join = r.kind() == RelationKind.MANY_TO_MANY ? lower(r.joinTable()) : null;
                if (join == null || target.all().stream().anyMatch(x -> lower(x.table()).equals(join))) {
                    continue;
                }
                kept.add(join);
                if (!tables.contains(join) && created.add(join)) {
                    creates.add(new CreateTable(r.joinTable()));
                }
            }
        }
        for (DdlGenerator.ForeignKey fk : foreignKeys) {
            if (!created.contains(lower(fk.table())) && !hasForeignKey(fk)) {
                keys.add(new AddForeignKey(fk));
                Model holder = target.all().stream().filter(x -> lower(x.table()).equals(lower(fk.table()))).findFirst().orElse(null);
                boolean covered = holder == null || holder.key().size() >= fk.columns().size()
                        && holder.key().subList(0, fk.columns().size()).stream().map(Field::column).toList().equals(fk.columns())
                        || fk.columns().size() == 1 && holder.fields().stream().anyMatch(f -> f.unique() && f.column().equals(fk.columns().get(0)));
                if (!covered) {   // every foreign key has an index, as on the tables ddl creates
                    indexes.add(new CreateIndex(holder, fk.columns(), false));
                }
            }
        }
        for (String t : tables) {
            if (!kept.contains(t) && !t.equals(dev.modelgate.db.Migrations.HISTORY)) {
                drops.add(new DropTable(tableName(t)));
            }
        }
        List<Change> out = new ArrayList<>(renames);
        out.addAll(creates);
        out.addAll(columns);
        out.addAll(indexes);
        out.addAll(keys);
        out.addAll(drops);
        return new Result(out, refused);
    }

    private void compareColumns(Model m, Model cur, List<Change> columns, List<Change> indexes, List<Change> drops, List<String> refused) {
        if (cur == null) {
            return;   // a table introspection makes no model of (a plain join table): left as it is
        }
        Map<String, Field> have = new LinkedHashMap<>();
        cur.fields().forEach(f -> have.put(lower(f.column()), f));
        Set<String> matched = new HashSet<>();
        Set<String> fkColumns = new HashSet<>();
        foreignKeys.stream().filter(k -> lower(k.table()).equals(lower(m.table())))
                .forEach(k -> k.columns().forEach(c -> fkColumns.add(lower(c))));
        for (Field f : m.fields()) {
            Field g = have.get(lower(f.column()));
            String from = columnRenamedFrom(m, f);
            if (g == null && from != null && have.containsKey(lower(from))) {
                g = have.get(lower(from));
                columns.add(new RenameColumn(m, g.column(), f));
            }
            if (g == null) {
                columns.add(new AddColumn(m, f));
                if (!f.columnNullable() && !f.hasDefault() && !f.generated() && hasRows.test(m.table())) {
                    refused.add(m.name() + "." + f.name() + ": a new NOT NULL column without @default on a table that has rows;"
                            + " give it a @default or make it nullable");
                }
                if (f.unique() && !f.id()) {
                    indexes.add(new CreateIndex(m, List.of(f.column()), true));
                } else if (f.indexed() && !fkColumns.contains(lower(f.column()))) {
                    indexes.add(new CreateIndex(m, List.of(f.column()), false));
                }
                continue;
            }
            matched.add(lower(g.column()));
            if (!f.id()) {
                alter(m, f, g, columns);
            }
            if (!f.unique() && g.unique() && !f.id()) {
                drops.add(new DropUnique(m, f.column()));
            }
            if (f.unique() && !g.unique() && !f.id()) {
                indexes.add(new CreateIndex(m, List.of(f.column()), true));
            } else if (f.indexed() && !g.indexed() && !g.unique() && !fkColumns.contains(lower(f.column()))) {
                indexes.add(new CreateIndex(m, List.of(f.column()), false));
            }
        }
        for (Field g : cur.fields()) {
            if (!matched.contains(lower(g.column()))) {
                drops.add(new DropColumn(m, g.column()));
            }
        }
    }

    /** The differences of one column: type, nullability, default. */
    private void alter(Model m, Field f, Field g, List<Change> columns) {
        Set<Alteration> what = EnumSet.noneOf(Alteration.class);
        boolean destructive = false;
        String want = dialect.columnType(f);
        String have = dialect.columnType(g);
        if (!sameType(want, have)) {
            what.add(Alteration.TYPE);
            destructive = !widens(have, want);
        }
        if (f.columnNullable() != g.columnNullable()) {
            what.add(Alteration.NULLABLE);
            destructive |= !f.columnNullable();
        }
        if (!sameDefault(f, g)) {
            what.add(Alteration.DEFAULT);
        }
        if (!what.isEmpty()) {
            columns.add(new AlterColumn(m, f, g, have, want, what, destructive));
        }
    }

    private static final Pattern SIZED = Pattern.compile("(?i)(VARCHAR|CHARACTER VARYING|CHAR)\\s*\\((\\d+)\\)");
    private static final Pattern DECIMAL = Pattern.compile("(?i)(DECIMAL|NUMERIC)\\s*\\((\\d+)\\s*,\\s*(\\d+)\\)");
    private static final List<String> INTEGERS = List.of("TINYINT", "SMALLINT", "INT", "INTEGER", "BIGINT");

    private static boolean sameType(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    private static String normalize(String type) {
        String t = type.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        return t.equals("INT") ? "INTEGER" : t;
    }

    /** Whether {@code to} holds every value of {@code from}: a longer VARCHAR, a wider integer, a DECIMAL with more digits. */
    static boolean widens(String from, String to) {
        Matcher a = SIZED.matcher(from);
        Matcher b = SIZED.matcher(to);
        if (a.matches() && b.matches()) {
            return Integer.parseInt(b.group(2)) >= Integer.parseInt(a.group(2));
        }
        Matcher x = DECIMAL.matcher(from);
        Matcher y = DECIMAL.matcher(to);
        if (x.matches() && y.matches()) {
            int scaleA = Integer.parseInt(x.group(3));
            int scaleB = Integer.parseInt(y.group(3));
            return scaleB >= scaleA && Integer.parseInt(y.group(2)) - scaleB >= Integer.parseInt(x.group(2)) - scaleA;
        }
        int i = INTEGERS.indexOf(normalize(from).equals("INTEGER") ? "INT" : normalize(from));
        int j = INTEGERS.indexOf(normalize(to).equals("INTEGER") ? "INT" : normalize(to));
        return i >= 0 && j >= 0 && j >= i;
    }

    private static boolean sameDefault(Field f, Field g) {
        if (f.defaultSql() != null || g.defaultSql() != null) {   // expressions: as the database reports them, spaces aside
            return f.defaultSql() != null && g.defaultSql() != null
                    && f.defaultSql().replaceAll("\\s+", "").equalsIgnoreCase(g.defaultSql().replaceAll("\\s+", ""));
        }
        String a = f.defaultValue();
        String b = g.defaultValue();
        if (a == null || b == null) {
            return a == b;
        }
        if (a.equals(b)) {
            return true;
        }
        try {
            Object x = f.type().valueOf(a);
            Object y = f.type().valueOf(b);
            return x instanceof java.math.BigDecimal p && y instanceof java.math.BigDecimal q ? p.compareTo(q) == 0 : x.equals(y);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the database already has the key: a belongs-to of the introspected model over the same columns to the same table. */
    private boolean hasForeignKey(DdlGenerator.ForeignKey fk) {
        Model holder = currentOf(previousName(fk.table()));
        if (holder == null) {
            return true;   // a plain join table: introspection read its keys as the many-to-many itself
        }
        Set<String> columns = new HashSet<>();
        fk.columns().forEach(c -> columns.add(lower(c)));
        for (Relation r : holder.relations()) {
            if (r.kind() != RelationKind.BELONGS_TO || !lower(current.target(r).table()).equals(lower(previousName(fk.refTable())))) {
                continue;
            }
            Set<String> have = new HashSet<>();
            Models.fields(holder, r.key()).forEach(f -> have.add(lower(f.column())));
            if (have.equals(columns)) {
                return true;
            }
        }
        return false;
    }

    /** The name a table of the models has in the database now: its @renamedFrom name while it is not renamed yet. */
    private String previousName(String table) {
        for (Model m : target.all()) {
            String from = tableRenamedFrom(m);
            if (from != null && lower(m.table()).equals(lower(table)) && !tables.contains(lower(table)) && tables.contains(lower(from))) {
                return from;
            }
        }
        return table;
    }

    private Model currentOf(String table) {
        return current.all().stream().filter(x -> lower(x.table()).equals(lower(table))).findFirst().orElse(null);
    }

    private String tableName(String lower) {
        Model m = currentOf(lower);
        return m != null ? m.table() : lower;
    }

    private String tableRenamedFrom(Model m) {
        for (Rename r : target.renames()) {
            if (r.model().equals(m.name()) && r.field() == null) {
                return r.from();
            }
        }
        return null;
    }

    private String columnRenamedFrom(Model m, Field f) {
        for (Rename r : target.renames()) {
            if (r.model().equals(m.name()) && f.name().equals(r.field())) {
                return r.from();
            }
        }
        return null;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
