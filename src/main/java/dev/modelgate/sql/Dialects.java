package dev.modelgate.sql;

/** Picks the dialect for a JDBC URL. */
public final class Dialects {
    private Dialects() {
    }

    public static Dialect forJdbcUrl(String jdbcUrl) {
        String u = jdbcUrl.toLowerCase();
        if (u.startsWith("jdbc:sqlite:")) {
            return new SqliteDialect();
        }
        if (u.startsWith("jdbc:mysql:")) {
            return new MysqlDialect(false);   // Connector/J: MySQL 8 has no INSERT … RETURNING
        }
        if (u.startsWith("jdbc:mariadb:")) {
            return new MysqlDialect(true);    // MariaDB's own driver: MariaDB 10.5+ returns keys
        }
        if (u.startsWith("jdbc:h2:")) {
            return new H2Dialect();
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        throw new IllegalArgumentException("unsupported database URL " + jdbcUrl
                + " (supported: jdbc:sqlite:, jdbc:mysql:, jdbc:mariadb:, jdbc:postgresql:, jdbc:h2:)");
    }

    public static Dialect byName(String name) {
        return switch (name.toLowerCase()) {
            case "sqlite" -> new SqliteDialect();
            case "mysql" -> new MysqlDialect(false);
            case "mariadb" -> new MysqlDialect(true);
            case "h2" -> new H2Dialect();
            case "postgresql", "postgres" -> new PostgresDialect();
            default -> throw new IllegalArgumentException("unknown dialect " + name + " (supported: sqlite, mysql, mariadb, postgresql, h2)");
        };
    }
}
