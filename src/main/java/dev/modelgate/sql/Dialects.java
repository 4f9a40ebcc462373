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
        throw new IllegalArgumentException("unsupported database URL " + jdbcUrl + " (supported: jdbc:sqlite:)");
    }

    public static Dialect byName(String name) {
        return switch (name.toLowerCase()) {
            case "sqlite" -> new SqliteDialect();
            default -> throw new IllegalArgumentException("unknown dialect " + name + " (supported: sqlite)");
        };
    }
}
