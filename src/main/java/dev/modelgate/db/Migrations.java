package dev.modelgate.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Migration files applied and recorded by Flyway (CONTRACT §8): history with checksums in
 * {@value #HISTORY}, files in version order, and Flyway's lock (MySQL's GET_LOCK, PostgreSQL's
 * advisory lock, SQLite's file lock) so that two gateways applying at once apply each file once.
 * Flyway gets connections of its own, never the serving pool's: a SQLite rebuild turns
 * foreign-key checks off on its connection.
 */
public final class Migrations {
    /** Flyway's history table; introspection and {@code migrate diff} leave it alone. */
    public static final String HISTORY = "flyway_schema_history";

    /** One file: its version, its description, and whether it is applied. */
    public record FileState(String version, String description, boolean applied) {
        public String name() {
            return "V" + version + "__" + description.replace(' ', '_');
        }
    }

    /** A file that failed: its name and the database's message, which names the statement. */
    public static final class Failed extends RuntimeException {
        public Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Flyway flyway;

    public Migrations(DbUrl url, Path dir) {
        this.flyway = Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user(), url.password())
                // the serving pool's connection settings: on SQLite a busy timeout and IMMEDIATE writes,
                // so that two processes applying at once queue on the file lock instead of failing
                .jdbcProperties(settings(url))
                // no folder yet: no files (rather than Flyway's complaint about a missing location)
                .locations(java.nio.file.Files.isDirectory(dir) ? new String[]{"filesystem:" + dir.toAbsolutePath()} : new String[0])
                .table(HISTORY)
                // a database made by --create-tables or by hand has tables and no history: its
                // first migration file starts from what is there (the files hold the differences only)
                .baselineOnMigrate(true).baselineVersion("0").baselineDescription("before migrations")
                .validateMigrationNaming(true)
                .loggers("slf4j")
                .load();
    }

    /** The driver properties the pool uses for this database, minus those the URL sets itself. */
    private static java.util.Map<String, String> settings(DbUrl url) {
        return ConnectionSettings.of(dev.modelgate.sql.Dialects.forJdbcUrl(url.jdbcUrl()).name()).forUrl(url.jdbcUrl());
    }

    /** Applies the pending files in order; returns the names applied. A failed file is left unrecorded. */
    public List<String> apply() {
        try {
            return flyway.migrate().migrations.stream().map(m -> "V" + m.version + "__" + m.description.replace(' ', '_')).toList();
        } catch (FlywayException e) {
            try {
                flyway.repair();   // where DDL is not transactional (MySQL), the failed file's row goes, and nothing records it
            } catch (FlywayException ignored) {
                // the history may not exist yet
            }
            throw new Failed(message(e), e);
        }
    }

    /** Flyway's report of a failed file, with the statement that failed in it (Flyway shows it only at debug level). */
    private static String message(FlywayException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException s && s.getStatement() != null) {
                return s.getMessage().replace(org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException.STATEMENT_MESSAGE,
                        s.getStatement().trim());
            }
        }
        return e.getMessage();
    }

    /** Every file and its state, in version order (the baseline row left out). */
    public List<FileState> files() {
        List<FileState> out = new ArrayList<>();
        for (MigrationInfo i : flyway.info().all()) {
            if (i.getState() == MigrationState.BASELINE || i.getVersion() == null || i.getVersion().getVersion().equals("0")) {
                continue;
            }
            out.add(new FileState(i.getVersion().getVersion(), i.getDescription(), i.getState().isApplied() && !i.getState().isFailed()));
        }
        return out;
    }
}
