package dev.modelgate.migrate;

import dev.modelgate.migrate.SchemaDiff.AddColumn;
import dev.modelgate.migrate.SchemaDiff.AddForeignKey;
import dev.modelgate.migrate.SchemaDiff.AlterColumn;
import dev.modelgate.migrate.SchemaDiff.Alteration;
import dev.modelgate.migrate.SchemaDiff.Change;
import dev.modelgate.migrate.SchemaDiff.CreateIndex;
import dev.modelgate.migrate.SchemaDiff.CreateTable;
import dev.modelgate.migrate.SchemaDiff.DropColumn;
import dev.modelgate.migrate.SchemaDiff.DropTable;
import dev.modelgate.migrate.SchemaDiff.RenameColumn;
import dev.modelgate.migrate.SchemaDiff.RenameTable;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.sql.DdlGenerator;
import dev.modelgate.sql.Dialect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A migration file's SQL for a list of changes, rendered by the database's dialect: new tables
 * as {@code ddl} creates them, columns added, changed, renamed and dropped in place, indexes, and
 * foreign keys after every table they need. SQLite changes a column by its documented table
 * rebuild (a new table, the rows copied, the old one dropped, the new one renamed, its indexes
 * made again) with foreign-key checks off, so the file runs outside Flyway's transaction and
 * makes its own ({@link #outsideTransaction}).
 */
public final class MigrationScript {
    /** A unique constraint or index as the database names it. */
    public record UniqueName(String name, boolean constraint) {
    }

    /** How the database names the unique constraint on a column (to drop it); null when it has none. */
    public interface UniqueNames {
        UniqueName of(String table, String column);
    }

    private final Models target;
    private final Dialect d;
    private final DdlGenerator ddl;
    private final UniqueNames uniques;
    private final java.util.function.Function<String, List<String>> companions;

    /**
     * @param companions for a table SQLite rebuilds: the SQL of its own indexes and triggers as the
     *                   database has them (sqlite_master), to make them again after the rebuild
     */
    public MigrationScript(Models target, Dialect dialect, UniqueNames uniques, java.util.function.Function<String, List<String>> companions) {
        this.target = target;
        this.d = dialect;
        this.ddl = new DdlGenerator(target, dialect);
        this.uniques = uniques;
        this.companions = companions;
    }

    /** The statements, and whether they must run outside a transaction of Flyway's (SQLite rebuilds). */
    public record Script(List<String> statements, boolean outsideTransaction) {
        /** The file's text: a header, then each statement ended by a semicolon. */
        public String text(List<Change> changes) {
            StringBuilder sb = new StringBuilder("-- Written by modelgate migrate diff: the SQL that takes the database to the models.\n");
            changes.forEach(c -> sb.append("--   ").append(c.describe()).append(c.destructive() ? "   (destructive)" : "").append('\n'));
            sb.append('\n');
            statements.forEach(s -> sb.append(s).append(";\n"));
            return sb.toString();
        }
    }

    public Script render(List<Change> changes) {
        Set<String> rebuilt = d.rebuildsTables() ? rebuilds(changes) : Set.of();
        List<String> first = new ArrayList<>();    // renames, tables, columns
        List<String> indexes = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> drops = new ArrayList<>();
        Map<String, List<Change>> rebuildChanges = new LinkedHashMap<>();
        for (Change c : changes) {
            if (rebuilt.contains(lower(c.table())) && !(c instanceof CreateTable) && !(c instanceof RenameTable) && !(c instanceof DropTable)) {
                rebuildChanges.computeIfAbsent(lower(c.table()), k -> new ArrayList<>()).add(c);
                continue;
            }
            if (c instanceof RenameTable r) {
                first.add(d.renameTable(r.from(), r.table()));
            } else if (c instanceof CreateTable t) {
                DdlGenerator.TableDdl table = ddl.table(t.table());
                first.add(table.create());
                indexes.addAll(table.indexes());
                keys.addAll(table.foreignKeys());
            } else if (c instanceof RenameColumn r) {
                first.add(d.renameColumn(r.table(), r.from(), r.field().column()));
            } else if (c instanceof AddColumn a) {
                first.add(d.addColumn(a.table(), a.field().column(), ddl.columnSpec(a.field())));
            } else if (c instanceof AlterColumn a) {
                Field f = a.field();
                first.addAll(d.alterColumn(a.table(), f.column(), d.columnType(f), ddl.columnSpec(f), f.columnNullable(), d.defaultExpression(f),
                        a.what().contains(Alteration.TYPE), a.what().contains(Alteration.NULLABLE), a.what().contains(Alteration.DEFAULT)));
            } else if (c instanceof CreateIndex i) {
                indexes.add(createIndex(i));
            } else if (c instanceof AddForeignKey k) {
                keys.add(ddl.addForeignKey(k.key()));
            } else if (c instanceof SchemaDiff.DropUnique du) {
                UniqueName name = uniques.of(du.table(), du.column());
                if (name != null) {
                    drops.add(d.dropUnique(du.table(), name.name(), name.constraint()));
                }
            } else if (c instanceof DropColumn dc) {
                drops.add(d.dropColumn(dc.table(), dc.column()));
            } else if (c instanceof DropTable dt) {
                drops.add("DROP TABLE " + d.quote(dt.table()));
            }
        }
        List<String> out = new ArrayList<>(first);
        for (Map.Entry<String, List<Change>> e : rebuildChanges.entrySet()) {
            out.addAll(rebuild(e.getValue()));
        }
        out.addAll(indexes);
        out.addAll(keys);
        out.addAll(drops);
        if (rebuilt.isEmpty()) {
            return new Script(out, false);
        }
        // SQLite: foreign-key checks off for the rebuild (a DROP TABLE of a referenced table would fail),
        // which only works outside a transaction; the statements run in one of their own
        List<String> wrapped = new ArrayList<>();
        wrapped.add("PRAGMA foreign_keys = OFF");
        wrapped.add("SAVEPOINT modelgate_migration");
        wrapped.addAll(out);
        wrapped.add("RELEASE modelgate_migration");
        wrapped.add("PRAGMA foreign_keys = ON");
        return new Script(wrapped, true);
    }

    /** Tables SQLite must rebuild: a column changed or dropped, a key added, a column it cannot add in place. */
    private Set<String> rebuilds(List<Change> changes) {
        Set<String> out = new HashSet<>();
        for (Change c : changes) {
            boolean rebuild = c instanceof AlterColumn || c instanceof DropColumn || c instanceof AddForeignKey
                    || c instanceof SchemaDiff.DropUnique
                    || c instanceof AddColumn a && !addsInPlace(a.field());
            if (rebuild && target.all().stream().anyMatch(m -> lower(m.table()).equals(lower(c.table())))) {
                out.add(lower(c.table()));
            }
        }
        return out;
    }

    /** SQLite adds a column in place when it may be NULL or has a constant default. */
    private boolean addsInPlace(Field f) {
        String def = d.defaultExpression(f);
        return (f.columnNullable() || def != null) && (def == null || !def.startsWith("("));
    }

    /**
     * SQLite's table rebuild (https://www.sqlite.org/lang_altertable.html#otheralter): the table
     * as the models say, the rows of every column it keeps (renamed ones under their old names),
     * the old table dropped, the new one renamed to its name, its indexes made again.
     */
    private List<String> rebuild(List<Change> changes) {
        Model m = target.all().stream().filter(x -> lower(x.table()).equals(lower(changes.get(0).table()))).findFirst().orElseThrow();
        DdlGenerator.TableDdl table = ddl.table(m.table());
        String fresh = "__modelgate_new_" + m.table();
        Map<String, String> renamedFrom = new LinkedHashMap<>();
        Set<String> added = new HashSet<>();
        Set<String> gone = new HashSet<>();   // column names the old table had and the new one has not
        for (Change c : changes) {
            if (c instanceof RenameColumn r) {
                renamedFrom.put(lower(r.field().column()), r.from());
                gone.add(lower(r.from()));
            } else if (c instanceof AddColumn a) {
                added.add(lower(a.field().column()));
            } else if (c instanceof DropColumn dc) {
                gone.add(lower(dc.column()));
            }
        }
        List<String> into = new ArrayList<>();
        List<String> from = new ArrayList<>();
        for (Field f : m.fields()) {
            if (added.contains(lower(f.column()))) {
                continue;   // a new column: its default, or NULL
            }
            into.add(d.quote(f.column()));
            from.add(d.quote(renamedFrom.getOrDefault(lower(f.column()), f.column())));
        }
        List<String> out = new ArrayList<>();
        out.add(table.create().replaceFirst("CREATE TABLE " + java.util.regex.Pattern.quote(d.quote(m.table())),
                java.util.regex.Matcher.quoteReplacement("CREATE TABLE " + d.quote(fresh))));
        out.add("INSERT INTO " + d.quote(fresh) + " (" + String.join(", ", into) + ") SELECT " + String.join(", ", from)
                + " FROM " + d.quote(m.table()));
        out.add("DROP TABLE " + d.quote(m.table()));
        out.add(d.renameTable(fresh, m.table()));
        out.addAll(table.indexes());
        // the table's own indexes and triggers went with it: made again, unless they name a column
        // that is gone or renamed (then the file says so, for you to write them anew)
        Set<String> ours = new HashSet<>();
        table.indexes().forEach(i -> ours.add(lower(i)));
        for (String sql : companions.apply(m.table())) {
            String name = objectName(sql);
            // Modelgate's own indexes (ix_…, ux_…) are the models' to make, as above, or not at all
            boolean duplicate = name != null && (name.startsWith("ix_") || name.startsWith("ux_")
                    || ours.stream().anyMatch(i -> i.contains(lower(d.quote(name)))));
            boolean stale = gone.stream().anyMatch(c -> java.util.regex.Pattern.compile("(?i)(?<![\\w$])[\"`\\[]?"
                    + java.util.regex.Pattern.quote(c) + "[\"`\\]]?(?![\\w$])").matcher(sql).find());
            if (stale) {
                out.add("-- not made again, it names a column that changed: " + sql.replace('\n', ' '));
            } else if (!duplicate) {
                out.add(sql);
            }
        }
        return out;
    }

    /** The name in {@code CREATE [UNIQUE] INDEX name …} or {@code CREATE TRIGGER name …}. */
    private static String objectName(String sql) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?is)^\\s*CREATE\\s+(?:UNIQUE\\s+)?(?:INDEX|TRIGGER)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?[\"`\\[]?([\\w$]+)").matcher(sql);
        return m.find() ? m.group(1) : null;
    }

    private String createIndex(CreateIndex i) {
        return "CREATE " + (i.unique() ? "UNIQUE " : "") + "INDEX " + d.quote(ddl.indexName(i.table(), i.columns(), i.unique()))
                + " ON " + d.quote(i.table()) + " (" + String.join(", ", i.columns().stream().map(d::quote).toList()) + ")";
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
