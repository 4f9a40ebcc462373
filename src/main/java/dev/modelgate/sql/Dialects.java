package dev.modelgate.sql;

/** Dialects by name, for tools with no database to ask (the DDL printer); a running database's comes from its {@code db/Vendor}. */
public final class Dialects {
    private Dialects() {
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
