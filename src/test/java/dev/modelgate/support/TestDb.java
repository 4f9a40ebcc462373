package dev.modelgate.support;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The databases the contract suite runs on. SQLite and H2 are embedded; MariaDB and PostgreSQL are the machine's
 * services (127.0.0.1, root / postgres, no password); each fixture gets a database of its own.
 * Under CI (CI=true) an unreachable server fails the run; by hand, its cases are skipped
 * with a loud message.
 */
public enum TestDb {
    SQLITE, MARIADB, POSTGRESQL, H2;

    /** A fresh, empty database: its JDBC URL, user, and how to drop it. */
    public record Created(String url, String user, Runnable drop) {
    }

    public Created create() {
        String name = "mg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            switch (this) {
                case SQLITE -> {
                    Path dir = Files.createTempDirectory("modelgate-test");
                    return new Created("jdbc:sqlite:" + dir.resolve("test.db"), null, () -> deleteTree(dir));
                }
                case H2 -> {
                    String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
                    return new Created(url, null, () -> admin(url, "", "SHUTDOWN"));
                }
                case MARIADB -> {
                    String server = "jdbc:mysql://127.0.0.1:3306/";
                    admin(server, "root", "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
                    return new Created(server + name, "root", () -> admin(server, "root", "DROP DATABASE IF EXISTS " + name));
                }
                case POSTGRESQL -> {
                    String server = "jdbc:postgresql://127.0.0.1:5432/postgres";
                    admin(server, "postgres", "CREATE DATABASE " + name);
                    return new Created("jdbc:postgresql://127.0.0.1:5432/" + name, "postgres",
                            () -> admin(server, "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
                }
                default -> throw new IllegalStateException(name());
            }
        } catch (Exception e) {
            unavailable(e);
            throw new IllegalStateException(e);
        }
    }

    private void unavailable(Exception e) {
        String message = "*** " + this + " is not reachable (" + e.getMessage() + "); its contract tests cannot run ***";
        System.err.println(message);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message, e);
        }
        Assumptions.abort(message);
    }

    private static void admin(String url, String user, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
