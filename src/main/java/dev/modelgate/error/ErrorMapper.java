package dev.modelgate.error;

import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;


/**
 * Turns database failures (read off the driver by the db stage) into {@link GatewayException}s whose messages are safe for
 * clients; the original stays attached as the cause, for the log.
 */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    /** SQLSTATEs and MySQL/MariaDB error numbers of a lost connection or a server shutting down. */
    private static final java.util.Set<String> UNAVAILABLE_STATES = java.util.Set.of("57P01", "57P02", "57P03");
    private static final java.util.Set<Integer> UNAVAILABLE_MYSQL = java.util.Set.of(1053, 2006, 2013);
    /**
     * Deadlock and serialization failures: the transaction was rolled back and may be retried.
     * A Galera cluster reports a write that failed certification as a deadlock (1213, "WSREP
     * detected deadlock/conflict"); MySQL Group Replication as 3101 (the plugin rolled it back at
     * commit). Both take the same path: the whole operation runs again.
     */
    private static final java.util.Set<String> CONFLICT_STATES = java.util.Set.of("40001", "40P01");
    private static final java.util.Set<Integer> CONFLICT_MYSQL = java.util.Set.of(1213, 1205, 3101);

    public static GatewayException map(Throwable t) {
        if (t instanceof GatewayException g) {
            return g;
        }
        DatabaseFailure sql = find(t, DatabaseFailure.class);
        if (sql != null) {
            String state = sql.sqlState();
            String message = String.valueOf(sql.getMessage());
            if (sql.kind() == DatabaseFailure.Kind.EXHAUSTED) {
                return new GatewayException(ErrorCode.OVERLOADED, "every database connection stayed busy; try again shortly", t);
            }
            if (conflict(sql)) {
                return new GatewayException(ErrorCode.CONFLICT,
                        "the operation conflicted with a concurrent one (deadlock or serialization failure) and was rolled back", t);
            }
            if (sql.kind() == DatabaseFailure.Kind.TIMEOUT || state.equals("57014") || state.equals("HYT00")) {
                return new GatewayException(ErrorCode.TIMEOUT, "the statement ran past its time limit", t);
            }
            if (unreachable(sql)) {
                return new GatewayException(ErrorCode.DATABASE_UNAVAILABLE, "the database cannot be reached", t);
            }
            if (locked(sql)) {   // SQLite: another process held the file past the busy timeout
                return new GatewayException(ErrorCode.DATABASE_UNAVAILABLE,
                        "the database stayed locked by another writer past the busy timeout; try again", t);
            }
            if (state.startsWith("23") || message.contains("SQLITE_CONSTRAINT") || sql.vendorCode() == 1364) {   // 1364: no default for a NOT NULL column
                return new GatewayException(ErrorCode.CONSTRAINT_VIOLATION, "a database constraint rejected the write", t);
            }
            if (state.startsWith("22")) {
                return new GatewayException(ErrorCode.BAD_USER_INPUT, "a value the database cannot store or compare", t);
            }
        }
        return new GatewayException(ErrorCode.INTERNAL_SERVER_ERROR, "internal server error", t);
    }

    /**
     * Whether a failure says the database server cannot be reached: connection loss (SQLSTATE
     * class 08), an administrator's shutdown (57P01–57P03), MySQL's 1053/2006/2013.
     */
    public static boolean unreachable(DatabaseFailure f) {
        return f.kind() == DatabaseFailure.Kind.CONNECTION || f.sqlState().startsWith("08")
                || UNAVAILABLE_STATES.contains(f.sqlState()) || UNAVAILABLE_MYSQL.contains(f.vendorCode());
    }

    /** Whether SQLite refused because the file stayed locked (SQLITE_BUSY / SQLITE_LOCKED) past its busy timeout. */
    static boolean locked(DatabaseFailure f) {
        String message = String.valueOf(f.getMessage());
        return message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED") || message.contains("database is locked");
    }

    /** Whether a failure is a deadlock or serialization failure (the database rolled the transaction back). */
    public static boolean conflict(DatabaseFailure f) {
        return CONFLICT_STATES.contains(f.sqlState()) || CONFLICT_MYSQL.contains(f.vendorCode());
    }

    /** The innermost cause. */
    public static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    public static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
