package dev.modelgate.db;

import dev.modelgate.sql.Dialect;
import dev.modelgate.sql.Fragment;
import dev.modelgate.sql.H2Dialect;
import dev.modelgate.sql.MysqlDialect;
import dev.modelgate.sql.PostgresDialect;
import dev.modelgate.sql.SqliteDialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * One database product, and everything about it that is not SQL syntax: how its connections are
 * set up, how its catalog reads, how its values come back, its migration quirks — one object per
 * vendor (MySQL, MariaDB, PostgreSQL, SQLite, H2), beside the SQL {@link Dialect} it speaks.
 * The JDBC URL names the driver, and so a first guess; the server's own word settles it at
 * connect time ({@link #detect}): MySQL's Connector/J connected to a MariaDB server is MariaDB,
 * whose replication, for one, is not MySQL's. A new database is one new vendor and one dialect.
 */
public abstract class Vendor {
    private final Dialect dialect;

    Vendor(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The vendor's name: mysql, mariadb, postgresql, sqlite or h2. */
    public abstract String name();

    /** The SQL this database speaks (MySQL and MariaDB share one). */
    public final Dialect dialect() {
        return dialect;
    }

    /** Driver properties, a statement for each new connection, the isolation level and the default pool size. */
    abstract ConnectionSettings connectionSettings();

    /** Whether a zone-less timestamp column holds UTC wall time (the sessions run in UTC: MySQL and MariaDB's DATETIME). */
    boolean utcWallTime() {
        return false;
    }

    /**
     * Whether only one process can open the database (H2's in-memory and file databases), so that
     * work which must not run twice at once (applying migrations) need only be serialized in this one.
     */
    boolean openedByOneProcess() {
        return false;
    }

    /** How the catalog reads on this database (what {@link Introspector} asks of it beside JDBC's metadata). */
    Catalog catalog() {
        return Catalog.STANDARD;
    }

    /**
     * What the catalog of a database holds beside JDBC's metadata, as {@link Introspector} reads it.
     *
     * @param typesFromDdl the declared column types are read from the table's CREATE statement (SQLite's metadata reports affinities)
     * @param foreignKeysByPragma foreign keys come from {@code PRAGMA foreign_key_list} (SQLite names none)
     * @param rowidKeys an {@code INTEGER PRIMARY KEY} is generated whether or not it says AUTOINCREMENT (SQLite's rowid)
     * @param columnTypeDetails zero dates, JSON stored as LONGTEXT with a {@code json_valid} check, ENUM and SET values come
     *                          from {@code information_schema.COLUMNS} (MySQL, MariaDB)
     * @param enumTypes enum labels come from {@code pg_enum} (PostgreSQL's named enum types)
     */
    record Catalog(boolean typesFromDdl, boolean foreignKeysByPragma, boolean rowidKeys, boolean columnTypeDetails, boolean enumTypes) {
        static final Catalog STANDARD = new Catalog(false, false, false, false, false);
    }

    /**
     * Whether unique constraints are listed in {@code information_schema.table_constraints}; where
     * not (MySQL, MariaDB: a constraint is its index), a column's unique index names it.
     */
    public boolean uniqueConstraintsInCatalog() {
        return true;
    }

    /**
     * The statements that recreate a table's own indexes and triggers, as created: what a table
     * rebuilt by copy must get back (SQLite alters a table so). None elsewhere.
     */
    public List<String> companions(Database db, String table) {
        return List.of();
    }

    // ---- replication ----

    /**
     * The primary's replication position now, as an opaque token a replica can be asked to reach
     * (MariaDB's GTID position, MySQL's executed GTID set, PostgreSQL's WAL position); null where
     * the database has none (SQLite, H2, or binary logging off).
     */
    String position(Connection c) throws SQLException {
        return null;
    }

    /** How far a replica is behind, in seconds; null when it reports no figure (not replicating, or caught up with nothing to replay). */
    Double lagSeconds(Connection c) throws SQLException {
        return null;
    }

    /** Whether a replica has applied everything up to {@code position}, waiting for it at most {@code waitSeconds}. */
    boolean reached(Connection c, String position, double waitSeconds) throws SQLException {
        return false;
    }

    /** One value of a one-row query (null: no row). */
    static Object one(Connection c, String sql, Object... params) throws SQLException {
        try (var st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    /** A column of the one row of a SHOW statement (null: no row, or no such column). */
    static Object shown(Connection c, String sql, String column) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return null;
            }
            var md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                if (md.getColumnLabel(i).equalsIgnoreCase(column)) {
                    return rs.getObject(i);
                }
            }
            return null;
        }
    }

    static Double seconds(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    @Override
    public String toString() {
        return name();
    }

    // ---- which vendor ----

    /** The vendor a JDBC URL's driver serves: a first guess, before the server has said what it is. */
    public static Vendor forJdbcUrl(String jdbcUrl) {
        String u = jdbcUrl.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:sqlite:")) {
            return new Sqlite();
        }
        if (u.startsWith("jdbc:mysql:")) {
            return new Mysql();
        }
        if (u.startsWith("jdbc:mariadb:")) {
            return new Mariadb(true);
        }
        if (u.startsWith("jdbc:h2:")) {
            return new H2();
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new Postgresql();
        }
        throw new IllegalArgumentException("unsupported database URL " + jdbcUrl
                + " (supported: jdbc:sqlite:, jdbc:mysql:, jdbc:mariadb:, jdbc:postgresql:, jdbc:h2:)");
    }

    /**
     * The vendor as the server says it is: this one, or (MySQL's driver on a MariaDB server)
     * MariaDB. Read from the connection's metadata, no statement run.
     */
    Vendor detect(Connection c) throws SQLException {
        return this;
    }

    // ---- the vendors ----

    /** What MySQL and MariaDB share beside their SQL: Connector/J's settings, UTC sessions, MySQL's catalog. */
    abstract static class MysqlFamily extends Vendor {
        MysqlFamily(Dialect dialect) {
            super(dialect);
        }

        @Override
        ConnectionSettings connectionSettings() {
            return ConnectionSettings.CONNECTOR_J;   // MariaDB's own driver takes the same properties
        }

        @Override
        boolean utcWallTime() {
            return true;
        }

        @Override
        Catalog catalog() {
            return new Catalog(false, false, false, true, false);
        }

        @Override
        public boolean uniqueConstraintsInCatalog() {
            return false;
        }
    }

    /** MySQL 8, through Connector/J. */
    static final class Mysql extends MysqlFamily {
        Mysql() {
            super(new MysqlDialect(false));   // Connector/J: MySQL 8 has no INSERT … RETURNING
        }

        @Override
        public String name() {
            return "mysql";
        }

        @Override
        String position(Connection c) throws SQLException {
            Object set = one(c, "SELECT @@GLOBAL.gtid_executed");
            return set == null || set.toString().isBlank() ? null : set.toString().replace("\n", "");
        }

        @Override
        Double lagSeconds(Connection c) throws SQLException {
            return seconds(shown(c, "SHOW REPLICA STATUS", "Seconds_Behind_Source"));
        }

        @Override
        boolean reached(Connection c, String position, double waitSeconds) throws SQLException {
            Object r = one(c, "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)", position, waitSeconds);
            return r instanceof Number n && n.intValue() == 0;
        }

        @Override
        Vendor detect(Connection c) throws SQLException {
            String version = c.getMetaData().getDatabaseProductVersion();
            return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb") ? new Mariadb(false) : this;
        }
    }

    /** MariaDB, through its own driver or through MySQL's Connector/J. */
    static final class Mariadb extends MysqlFamily {
        /** @param ownDriver MariaDB's own driver, which returns the keys an INSERT made (MariaDB 10.5+) */
        Mariadb(boolean ownDriver) {
            super(new MysqlDialect(ownDriver));
        }

        @Override
        public String name() {
            return "mariadb";
        }

        @Override
        String position(Connection c) throws SQLException {
            Object pos = one(c, "SELECT @@GLOBAL.gtid_binlog_pos");
            return pos == null || pos.toString().isBlank() ? null : pos.toString();
        }

        @Override
        Double lagSeconds(Connection c) throws SQLException {
            return seconds(shown(c, "SHOW SLAVE STATUS", "Seconds_Behind_Master"));
        }

        @Override
        boolean reached(Connection c, String position, double waitSeconds) throws SQLException {
            Object r = one(c, "SELECT MASTER_GTID_WAIT(?, ?)", position, waitSeconds);
            return r instanceof Number n && n.intValue() == 0;
        }

    }

    /** PostgreSQL. */
    static final class Postgresql extends Vendor {
        Postgresql() {
            super(new PostgresDialect());
        }

        @Override
        public String name() {
            return "postgresql";
        }

        @Override
        String position(Connection c) throws SQLException {
            Object lsn = one(c, "SELECT CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END");
            return lsn == null ? null : lsn.toString();
        }

        @Override
        Double lagSeconds(Connection c) throws SQLException {
            return seconds(one(c, "SELECT CASE WHEN pg_is_in_recovery() AND pg_last_wal_receive_lsn() IS DISTINCT FROM pg_last_wal_replay_lsn()"
                    + " THEN EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"));
        }

        @Override
        boolean reached(Connection c, String position, double waitSeconds) throws SQLException {
            long deadline = System.nanoTime() + (long) (waitSeconds * 1e9);
            while (true) {   // no server-side wait: asked again every 20 ms
                if (Boolean.TRUE.equals(one(c, "SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn", position))) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }

        @Override
        ConnectionSettings connectionSettings() {
            return ConnectionSettings.POSTGRESQL;
        }

        @Override
        Catalog catalog() {
            return new Catalog(false, false, false, false, true);
        }
    }

    /** SQLite, embedded (sqlite-jdbc). */
    static final class Sqlite extends Vendor {
        Sqlite() {
            super(new SqliteDialect());
        }

        @Override
        public String name() {
            return "sqlite";
        }

        @Override
        ConnectionSettings connectionSettings() {
            return ConnectionSettings.SQLITE;
        }

        @Override
        Catalog catalog() {
            return new Catalog(true, true, true, false, false);
        }

        @Override
        public List<String> companions(Database db, String table) {
            try (var s = db.openSession(false)) {
                return s.select(new Fragment("SELECT sql AS \"sql\" FROM sqlite_master WHERE type IN ('index', 'trigger')"
                        + " AND LOWER(tbl_name) = ? AND sql IS NOT NULL ORDER BY type, name", List.of(table.toLowerCase(Locale.ROOT))))
                        .stream().map(r -> String.valueOf(r.get("sql")).trim()).toList();
            }
        }
    }

    /** H2, embedded or in memory (tests). */
    static final class H2 extends Vendor {
        H2() {
            super(new H2Dialect());
        }

        @Override
        public String name() {
            return "h2";
        }

        @Override
        boolean openedByOneProcess() {
            return true;
        }

        @Override
        ConnectionSettings connectionSettings() {
            return ConnectionSettings.H2;
        }
    }
}
