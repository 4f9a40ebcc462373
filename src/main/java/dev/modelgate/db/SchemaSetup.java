package dev.modelgate.db;

import dev.modelgate.model.Models;
import dev.modelgate.sql.DdlGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Creates the models' missing tables (like SQLAlchemy's {@code create_all}) and loads seed rows. */
public final class SchemaSetup {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaSetup.class);

    private SchemaSetup() {
    }

    /** Creates every table that does not exist yet; returns the names of those created. */
    public static List<String> createMissingTables(Database db, Models models) {
        Set<String> existing = db.tableNames();
        List<DdlGenerator.TableDdl> missing = new DdlGenerator(models, db.dialect()).tables().stream()
                .filter(t -> !existing.contains(t.table().toLowerCase())).toList();
        List<String> statements = new ArrayList<>();
        missing.forEach(t -> {
            statements.add(t.create());
            statements.addAll(t.indexes());
        });
        missing.forEach(t -> statements.addAll(t.foreignKeys()));
        if (!statements.isEmpty()) {
            db.executeAll(statements);
        }
        List<String> created = missing.stream().map(DdlGenerator.TableDdl::table).toList();
        if (!created.isEmpty()) {
            LOG.info("created tables {}", created);
        }
        return created;
    }

    /**
     * Creates the missing tables; when that created every table of the models and
     * {@code seed} exists, loads it (first start on an empty database).
     */
    public static void createMissingTablesAndSeed(Database db, Models models, Path seed) {
        List<String> created = createMissingTables(db, models);
        int all = new DdlGenerator(models, db.dialect()).tables().size();
        if (!created.isEmpty() && created.size() == all && Files.exists(seed)) {
            seed(db, seed);
            restartIdentities(db, models);
        }
    }

    /**
     * Where the database keeps dates as text (SQLite), how existing rows write them: a column whose
     * rows another program wrote as {@code 2005-08-01 00:00:44} is compared and written that way,
     * so filters find those rows and a value the gateway returns finds its row again. Reads one
     * row per DateTime column; an empty column keeps the gateway's own format.
     */
    public static void learnStoredFormats(Database db, Models models) {
        var d = db.dialect();
        if (!d.datesAsText()) {
            return;
        }
        java.util.Set<String> tables = new java.util.HashSet<>(db.tableNames());
        tables.addAll(db.viewNames());
        try (Session s = db.openSession(false)) {
            for (var m : models.all()) {
                if (!tables.contains(m.table().toLowerCase(java.util.Locale.ROOT))) {
                    continue;
                }
                for (var f : m.fields()) {
                    if (f.type() != dev.modelgate.model.ScalarType.DATE_TIME && f.type() != dev.modelgate.model.ScalarType.DATE || f.list()) {
                        continue;
                    }
                    String col = d.quote(f.column());
                    var rows = s.select(new dev.modelgate.sql.Fragment("SELECT " + col + " AS " + d.quote("v") + " FROM "
                            + d.quote(m.table()) + " WHERE " + col + " IS NOT NULL LIMIT 1", List.of()));
                    if (rows.isEmpty()) {
                        continue;
                    }
                    if (!(rows.get(0).get("v") instanceof String sample)) {
                        d.mixedFormats(f);   // epoch numbers: compared as instants
                        continue;
                    }
                    if (f.type() == dev.modelgate.model.ScalarType.DATE_TIME) {
                        d.storedLike(f, sample);
                    }
                    // one row of another shape (a date alone among date-times, a number, another separator) is enough
                    if (!s.select(new dev.modelgate.sql.Fragment(d.otherFormatProbe(m.table(), f.column(), sample), List.of())).isEmpty()) {
                        d.mixedFormats(f);
                    }
                }
            }
        }
    }

    /**
     * Moves each generated key past the largest key in its table, on databases whose identity
     * does not follow explicitly inserted keys (PostgreSQL, H2): after a seed script, creates
     * would otherwise collide with the seeded rows.
     */
    public static void restartIdentities(Database db, Models models) {
        var d = db.dialect();
        try (Session s = db.openSession(true)) {
            for (var m : models.all()) {
                var id = m.singleKey();
                if (id == null || !id.generated() || d.restartIdentity(m.table(), id.column(), 1) == null) {
                    continue;
                }
                String col = d.quote(id.column());
                var max = s.select(new dev.modelgate.sql.Fragment("SELECT MAX(" + col + ") AS " + d.quote("m")
                        + " FROM " + d.quote(m.table()), List.of()));
                Object top = max.isEmpty() ? null : max.get(0).get("m");
                long next = top == null ? 1 : ((Number) db.values().read(dev.modelgate.model.ScalarType.LONG, top)).longValue() + 1;
                s.update(d.restartIdentity(m.table(), id.column(), next));
            }
            s.commit();
        }
    }

    /**
     * Runs a seed script (statements ending with {@code ;} at the end of a line; {@code --}
     * comment lines skipped) in one transaction.
     */
    public static void seed(Database db, Path script) {
        String text;
        try {
            text = Files.readString(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        db.executeAll(splitStatements(text));
        LOG.info("loaded seed rows from {}", script);
    }

    static List<String> splitStatements(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().trim();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().trim());
        }
        return out;
    }
}
