package dev.modelgate.migrate;

import dev.modelgate.db.Database;
import dev.modelgate.db.Introspector;
import dev.modelgate.db.Migrations;
import dev.modelgate.model.Models;
import dev.modelgate.sql.Fragment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code migrate diff}: the live database read by introspection, compared with the models
 * ({@link SchemaDiff}), rendered for its dialect ({@link MigrationScript}) and written as the next
 * {@code V<n>__<name>.sql} of the migrations folder, in Flyway's format.
 */
public final class Migrator {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    private Migrator() {
    }

    /** The database compared with the models: the changes that take it there, and what was refused. */
    public static SchemaDiff.Result compare(Models target, Database db) {
        Set<String> tables = new HashSet<>(db.tableNames());
        tables.remove(Migrations.HISTORY);
        Models current = tables.isEmpty() ? new Models(List.of(), List.of()) : Introspector.read(db).models();
        return new SchemaDiff(target, current, tables, table -> hasRows(db, table), db.dialect()).compare();
    }

    /**
     * What the models need that the database lacks, for people: a missing table or column (a
     * rename not made yet counts), or a column whose type cannot hold the field's values. Extra
     * tables and columns, other sizes, nullability, defaults and indexes are left alone: serving
     * works with them. Empty when every model can be served.
     */
    public static List<String> unservable(Models models, Database db) {
        List<String> out = new java.util.ArrayList<>();
        for (SchemaDiff.Change c : compare(models, db).changes()) {
            if (c instanceof SchemaDiff.CreateTable t) {
                out.add("table " + t.table() + " is missing");
            } else if (c instanceof SchemaDiff.RenameTable t) {
                out.add("table " + t.table() + " is missing (still called " + t.from() + ")");
            } else if (c instanceof SchemaDiff.AddColumn a) {
                out.add(a.model().name() + "." + a.field().name() + ": column " + a.model().table() + "." + a.field().column() + " is missing");
            } else if (c instanceof SchemaDiff.RenameColumn r) {
                out.add(r.model().name() + "." + r.field().name() + ": column " + r.model().table() + "." + r.field().column()
                        + " is missing (still called " + r.from() + ")");
            } else if (c instanceof SchemaDiff.AlterColumn a && a.what().contains(SchemaDiff.Alteration.TYPE) && !readable(a.field(), a.current())) {
                out.add(a.model().name() + "." + a.field().name() + ": "
                        + (a.field().enumName() != null ? a.field().enumName() : a.field().type().graphqlName())
                        + " cannot be read from column " + a.model().table() + "." + a.field().column() + " " + a.fromType());
            }
        }
        return out;
    }

    /** Whether a column of the database's type can be read as the field: same kind of value (numbers, text, times, …). */
    private static boolean readable(dev.modelgate.model.Field want, dev.modelgate.model.Field have) {
        return kind(want.type()) == kind(have.type()) || (want.type() == dev.modelgate.model.ScalarType.STRING
                && have.type() != dev.modelgate.model.ScalarType.BYTES);
    }

    private static String kind(dev.modelgate.model.ScalarType t) {
        return switch (t) {
            case INT, LONG, FLOAT, BIG_DECIMAL, BOOLEAN -> "number";   // a boolean is a small integer on MySQL and SQLite
            case STRING, ID, ENUM, JSON -> "text";
            case DATE, DATE_TIME -> "date";
            case LOCAL_TIME -> "time";
            case BYTES -> "bytes";
        };
    }

    private static boolean hasRows(Database db, String table) {
        try (var s = db.openSession(false)) {
            return !s.select(new Fragment("SELECT 1 AS " + db.dialect().quote("x") + " FROM " + db.dialect().quote(table)
                    + " WHERE 1=1" + db.dialect().paging(1L, null).sql(), db.dialect().paging(1L, null).params())).isEmpty();
        }
    }

    /**
     * The unique constraint on a column, as the database names it: a constraint of that column
     * in the standard information schema (PostgreSQL, H2), else the unique index on it (MySQL's
     * constraints are indexes; a unique index made by CREATE UNIQUE INDEX).
     */
    private static MigrationScript.UniqueName uniqueName(Database db, String table, String column) {
        if (db.vendor().uniqueConstraintsInCatalog()) {
            try (var s = db.openSession(false)) {
                var rows = s.select(new Fragment("SELECT tc.constraint_name AS " + db.dialect().quote("n")
                        + " FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage k"
                        + " ON k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name AND k.table_schema = tc.table_schema"
                        + " WHERE tc.constraint_type = 'UNIQUE' AND tc.table_schema = CURRENT_SCHEMA"
                        + " AND LOWER(tc.table_name) = ? AND LOWER(k.column_name) = ?",
                        List.of(table.toLowerCase(), column.toLowerCase())));
                if (!rows.isEmpty()) {
                    return new MigrationScript.UniqueName(String.valueOf(rows.get(0).get("n")), true);
                }
            }
        }
        String index = db.uniqueIndexes(table).get(column.toLowerCase());
        return index == null ? null : new MigrationScript.UniqueName(index, false);
    }

    /** What {@link #diff} did: the file written (null when none), the changes, and why it refused, if it did. */
    public record Outcome(Path file, List<SchemaDiff.Change> changes, List<String> refused) {
        public boolean wrote() {
            return file != null;
        }
    }

    /**
     * Writes the next migration file for the differences, unless one is refused (a NOT NULL column
     * without a default on a table with rows; a destructive change without {@code allowDestructive};
     * files not applied yet, which the comparison would not see). Nothing to do writes nothing.
     */
    public static Outcome diff(Models target, Database db, Path dir, String name, boolean allowDestructive, List<String> pending) {
        SchemaDiff.Result result = compare(target, db);
        if (!pending.isEmpty()) {
            return new Outcome(null, result.changes(), List.of("files not applied yet: " + String.join(", ", pending)
                    + "; run migrate apply first, so that the comparison sees them"));
        }
        if (!result.refused().isEmpty()) {
            return new Outcome(null, result.changes(), result.refused());
        }
        if (!result.destructive().isEmpty() && !allowDestructive) {
            return new Outcome(null, result.changes(), result.destructive().stream()
                    .map(c -> c.describe() + ": destructive; run with --allow-destructive to write it").toList());
        }
        if (result.changes().isEmpty()) {
            return new Outcome(null, List.of(), List.of());
        }
        MigrationScript.Script script = new MigrationScript(target, db.dialect(), (table, column) -> uniqueName(db, table, column),
                table -> db.vendor().companions(db, table)).render(result.changes());
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("V" + nextVersion(dir) + "__" + fileName(name) + ".sql");
            Files.writeString(file, script.text(result.changes()));
            if (script.outsideTransaction()) {
                // Flyway's script configuration: the file makes its own transaction (SQLite rebuilds)
                Files.writeString(dir.resolve(file.getFileName() + ".conf"), "executeInTransaction=false\n");
            }
            return new Outcome(file, result.changes(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int nextVersion(Path dir) throws IOException {
        int max = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = VERSIONED.matcher(p.getFileName().toString());
                if (m.matches()) {
                    max = Math.max(max, Integer.parseInt(m.group(1)));
                }
            }
        }
        return max + 1;
    }

    private static String fileName(String name) {
        String n = name == null || name.isBlank() ? "models" : name.trim().replaceAll("[^A-Za-z0-9]+", "_");
        return n.replaceAll("^_+|_+$", "").isEmpty() ? "models" : n.replaceAll("^_+|_+$", "");
    }
}
