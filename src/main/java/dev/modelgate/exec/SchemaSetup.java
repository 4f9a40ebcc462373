package dev.modelgate.exec;

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
