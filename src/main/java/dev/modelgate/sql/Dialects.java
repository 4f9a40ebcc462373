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
        if (u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:")) {
            return new MysqlDialect();
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        throw new IllegalArgumentException("unsupported database URL " + jdbcUrl
                + " (supported: jdbc:sqlite:, jdbc:mysql:, jdbc:mariadb:, jdbc:postgresql:)");
    }

    public static Dialect byName(String name) {
        return switch (name.toLowerCase()) {
            case "sqlite" -> new SqliteDialect();
            case "mysql", "mariadb" -> new MysqlDialect();
            case "postgresql", "postgres" -> new PostgresDialect();
            default -> throw new IllegalArgumentException("unknown dialect " + name + " (supported: sqlite, mysql, postgresql)");
        };
    }
}
