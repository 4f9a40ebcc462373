package dev.modelgate.db;

import dev.modelgate.error.CommandFailure;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The start-up check of a database address, before anything is served: one real connection with
 * the pool's own driver settings. A refused login or an unknown database fails at once with the
 * driver's reason; a server that cannot be reached is tried again until the wait runs out (it
 * may be starting, as in a compose file); an SQLite file that does not exist is not created unless
 * the caller means to create tables.
 */
public final class Connectivity {
    /** MySQL/MariaDB: access denied (1044, 1045, 1698), unknown database (1049). */
    private static final Set<Integer> REFUSED_MYSQL = Set.of(1044, 1045, 1049, 1698);
    private static final int UNKNOWN_DATABASE_MYSQL = 1049;
    /** H2: database not found (IFEXISTS); its wrong password is SQLSTATE 28000, like the others'. */
    private static final int UNKNOWN_DATABASE_H2 = 90146;

    private Connectivity() {
    }

    /**
     * Checks that {@code url} names a database this process can use: the SQLite file exists (or
     * {@code mayCreate}), and a connection opens within {@code waitSeconds}. {@code progress}
     * hears, once, that the server is being waited for.
     */
    public static void check(DbUrl url, boolean mayCreate, int waitSeconds, Consumer<String> progress) {
        Path file = sqliteFile(url.jdbcUrl());
        if (file != null && !mayCreate && !Files.exists(file)) {
            throw new CommandFailure("no SQLite database at " + file.toAbsolutePath(),
                    "check the path in --db; to start a new database there, add --create-tables", CommandFailure.FAILED);
        }
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        boolean told = false;
        while (true) {
            try (Connection ignored = connect(url)) {
                return;
            } catch (SQLException e) {
                if (refused(e)) {
                    throw refusal(url, e);
                }
                if (!unreachable(e)) {
                    throw new CommandFailure("cannot connect to " + url.display() + ": " + firstLine(e),
                            "check the URL given with --db (or database.url)", CommandFailure.FAILED, e);
                }
                if (System.nanoTime() >= deadline) {
                    throw new CommandFailure("cannot reach the database at " + url.display() + " (" + firstLine(e) + ")",
                            "is the server running there? start it, or fix the host and port; database.startupWaitSeconds ("
                                    + waitSeconds + ") sets how long to wait", CommandFailure.FAILED, e);
                }
                if (!told) {
                    progress.accept("modelgate: waiting up to " + waitSeconds + " s for the database at " + url.display()
                            + " (" + firstLine(e) + ")");
                    told = true;
                }
                sleep(Math.min(1000, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
            }
        }
    }

    private static Connection connect(DbUrl url) throws SQLException {
        Properties props = new Properties();
        ConnectionSettings.forJdbcUrl(url.jdbcUrl()).forUrl(url.jdbcUrl()).forEach(props::setProperty);
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    private static CommandFailure refusal(DbUrl url, SQLException e) {
        boolean unknownDatabase = "3D000".equals(e.getSQLState()) || e.getErrorCode() == UNKNOWN_DATABASE_MYSQL || e.getErrorCode() == UNKNOWN_DATABASE_H2;
        String remedy = unknownDatabase
                ? "create it (CREATE DATABASE …) or fix the database name in --db"
                : "check the user and password: in the URL, --db-user/--db-password, or MODELGATE_DB_USER/MODELGATE_DB_PASSWORD";
        return new CommandFailure("the database at " + url.display() + " refused the connection: " + firstLine(e),
                remedy, CommandFailure.FAILED, e);
    }

    /** A login the server refused, or a database it does not have: waiting will not change it. */
    static boolean refused(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        return state.startsWith("28") || state.equals("3D000")
                || REFUSED_MYSQL.contains(e.getErrorCode()) || e.getErrorCode() == UNKNOWN_DATABASE_H2;
    }

    /** No server answered: connection refused, unknown host, timed out. */
    static boolean unreachable(SQLException e) {
        if (String.valueOf(e.getSQLState()).startsWith("08")) {
            return true;
        }
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The SQLite file a JDBC URL names; null for another database or an in-memory one. */
    public static Path sqliteFile(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:")) {
            return null;
        }
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        if (path.isEmpty() || path.equals(":memory:") || rest.contains("mode=memory")) {
            return null;
        }
        return Path.of(path);
    }

    private static String firstLine(Throwable e) {
        Throwable t = e;
        String message = t.getMessage();
        while ((message == null || message.isBlank()) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            message = t.getMessage();
        }
        return String.valueOf(message).lines().findFirst().orElse("").trim();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted while waiting for the database", null, CommandFailure.FAILED);
        }
    }
}
