package dev.modelgate.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Migration files applied and recorded by Flyway (docs/migrations.md): history with checksums in
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

    /** A file that failed, or files that no longer match what was applied: the reason, and what to do. */
    public static final class Failed extends RuntimeException {
        private final String remedy;

        public Failed(String message, String remedy, Throwable cause) {
            super(message, cause);
            this.remedy = remedy;
        }

        /** What the operator can do about it, one line. */
        public String remedy() {
            return remedy;
        }
    }

    private final Flyway flyway;
    private final dev.modelgate.sql.Dialect dialect;
    /** What serializes two applies to a database only this process can open (H2): Flyway takes no lock there before its history exists. */
    private final Object inProcessLock;
    private static final java.util.concurrent.ConcurrentMap<String, Object> IN_PROCESS = new java.util.concurrent.ConcurrentHashMap<>();

    public Migrations(DbUrl url, Path dir) {
        Vendor vendor = Vendor.forJdbcUrl(url.jdbcUrl());
        this.dialect = vendor.dialect();
        this.inProcessLock = vendor.openedByOneProcess() ? IN_PROCESS.computeIfAbsent(url.jdbcUrl(), k -> new Object()) : null;
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
        return ConnectionSettings.forJdbcUrl(url.jdbcUrl()).forUrl(url.jdbcUrl());
    }

    /**
     * Applies the pending files in order; returns the names applied. A file that fails is left
     * unrecorded (where DDL is not transactional, its failed row is removed); the checksums of
     * applied files are never changed here: an applied file that was edited is refused.
     */
    public List<String> apply() {
        if (inProcessLock != null) {
            synchronized (inProcessLock) {
                return applyNow();
            }
        }
        return applyNow();
    }

    private List<String> applyNow() {
        try {
            return flyway.migrate().migrations.stream().map(m -> "V" + m.version + "__" + m.description.replace(' ', '_')).toList();
        } catch (org.flywaydb.core.api.exception.FlywayValidateException e) {
            throw new Failed(validation(e), "restore the applied files as they were and put changes in a new file (migrate diff);"
                    + " if the edit is meant, 'modelgate migrate repair' records the files as they are now", e);
        } catch (FlywayException e) {
            removeFailedRows();
            throw new Failed(message(e), "fix the file, or the database, and run migrate apply again; nothing of the failed file is recorded", e);
        }
    }

    /**
     * {@code migrate repair}, for an operator who means it: the history takes the checksums and
     * descriptions of the files as they are now, and rows of failed files go. Returns what it did.
     */
    public String repair() {
        try {
            var result = flyway.repair();
            return "repaired the history: " + result.migrationsAligned.size() + " file(s) realigned, "
                    + result.migrationsRemoved.size() + " failed row(s) removed";
        } catch (FlywayException e) {
            throw new Failed(e.getMessage().lines().findFirst().orElse("repair failed"), "check the connection and the migrations folder", e);
        }
    }

    /**
     * Where DDL is not transactional (MySQL), Flyway records a failed file as a failed row; that
     * row, and nothing else, goes, so that a corrected file applies as pending. No history yet: nothing to do.
     */
    private void removeFailedRows() {
        try (var c = flyway.getConfiguration().getDataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + dialect.quote(HISTORY) + " WHERE NOT " + dialect.quote("success"));
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (java.sql.SQLException ignored) {
            // no history table yet (the first file failed where DDL is transactional): nothing was recorded
        }
    }

    /** Flyway's validation report, without its advice to run repair: which files differ from what was applied. */
    private static String validation(FlywayException e) {
        List<String> lines = e.getMessage().lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("Either revert") && !l.startsWith("Validate failed")
                        && !l.startsWith("Need more flexibility") && !l.contains("documentation") && !l.startsWith("Migrations have failed"))
                .toList();
        return "applied migration files have changed since they were applied: " + String.join("; ", lines);
    }

    /** Flyway's report of a failed file, with the statement that failed in it (Flyway shows it only at debug level). */
    private static String message(FlywayException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException s && s.getStatement() != null) {
                // one line: the file, the line, the statement, and the database's own words
                String file = s.getResource() == null ? "the file" : java.nio.file.Path.of(s.getResource().getFilename()).getFileName().toString();
                java.sql.SQLException sql = dev.modelgate.error.ErrorMapper.find(s, java.sql.SQLException.class);
                return file + ", line " + s.getLineNumber() + ": " + s.getStatement().trim().replaceAll("\\s+", " ")
                        + " — " + (sql == null ? "failed" : String.valueOf(sql.getMessage()).lines().findFirst().orElse("failed").trim());
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
