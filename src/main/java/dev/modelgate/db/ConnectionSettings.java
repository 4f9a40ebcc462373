package dev.modelgate.db;

import java.util.Map;

/**
 * How a database's connections are set up: driver properties, a statement run on every new
 * connection, the isolation level and the default pool size. Each {@link Vendor} names its own.
 *
 * @param isolation a {@code java.sql.Connection.TRANSACTION_*} name, or null for the database's default
 */
record ConnectionSettings(Map<String, String> properties, String initSql, String isolation, int poolSize) {

    static final ConnectionSettings SQLITE = new ConnectionSettings(Map.of("foreign_keys", "true", "case_sensitive_like", "true",
            "busy_timeout", "10000", "journal_mode", "WAL", "synchronous", "NORMAL",
            "transaction_mode", "IMMEDIATE"),   // writers queue on the busy timeout instead of failing on upgrade
            null, null, 4);

    // READ COMMITTED, as PostgreSQL's default: under InnoDB's REPEATABLE READ a row that a concurrent
    // transaction committed stays invisible to reads in this one (an upsert could not read back the row
    // it matched), and gap locks make concurrent inserts deadlock. Sessions in UTC: DATETIME holds UTC.
    // Statements prepared on the server once per connection and kept (the renderer pads IN lists to a few
    // sizes so the cache hits): the server parses each statement shape once and rows come in the binary
    // protocol. Autocommit and isolation are tracked by the driver instead of asked of the server.
    /** MySQL's Connector/J (to MySQL or MariaDB), and MariaDB's own driver, which takes the same properties. */
    static final ConnectionSettings CONNECTOR_J = new ConnectionSettings(props("useServerPrepStmts", "true", "cachePrepStmts", "true",
            "prepStmtCacheSize", "500", "prepStmtCacheSqlLimit", "8192", "cacheResultSetMetadata", "true",
            "cacheServerConfiguration", "true", "useLocalSessionState", "true", "elideSetAutoCommits", "true",
            "maintainTimeStats", "false",
            // YEAR as the number it is (the driver's default reads it as a java.sql.Date)
            "yearIsDateType", "false",
            // a connection attempt to a server that is starting must not hang the pool's only connector thread
            "connectTimeout", "3000",
            // Connector/J's own OpenTelemetry hook looks up (and may auto-configure) a global SDK on
            // every connection; Modelgate's tracing is its own
            "openTelemetry", "DISABLED",
            // MySQL's zero dates (0000-00-00) read as NULL instead of failing the row
            "zeroDateTimeBehavior", "CONVERT_TO_NULL"),
            "SET time_zone = '+00:00'", "TRANSACTION_READ_COMMITTED", 10);

    /** Strings sent untyped, so that they fit any column type (enums, JSON). */
    static final ConnectionSettings POSTGRESQL = new ConnectionSettings(Map.of("stringtype", "unspecified", "connectTimeout", "3"), null, null, 10);

    /** Unquoted names in hand-written SQL (seed scripts, mappers) fold to lower case, as on PostgreSQL. */
    static final ConnectionSettings H2 = new ConnectionSettings(Map.of("DATABASE_TO_LOWER", "TRUE"), null, null, 10);

    /** The settings of the vendor a JDBC URL's driver serves. */
    static ConnectionSettings forJdbcUrl(String jdbcUrl) {
        return Vendor.forJdbcUrl(jdbcUrl).connectionSettings();
    }

    /** The driver properties for a connection to {@code jdbcUrl}, except those the URL sets itself (the user's choice wins). */
    java.util.Map<String, String> forUrl(String jdbcUrl) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        properties.forEach((name, value) -> {
            if (!jdbcUrl.matches("(?s).*[?&;]" + java.util.regex.Pattern.quote(name) + "=.*")) {
                out.put(name, value);
            }
        });
        return out;
    }

    /** Properties from name, value, name, value, … */
    private static Map<String, String> props(String... nameValue) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            out.put(nameValue[i], nameValue[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
