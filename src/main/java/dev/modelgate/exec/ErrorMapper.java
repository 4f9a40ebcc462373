package dev.modelgate.exec;

import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns database exceptions into {@link GatewayException}s whose messages are safe for
 * clients; the original stays attached as the cause, for the log.
 */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    public static GatewayException map(Throwable t) {
        if (t instanceof GatewayException g) {
            return g;
        }
        SQLException sql = find(t, SQLException.class);
        if (sql != null) {
            String state = sql.getSQLState() == null ? "" : sql.getSQLState();
            if (sql instanceof SQLTimeoutException || state.equals("57014") || state.equals("HYT00")) {
                return new GatewayException(ErrorCode.TIMEOUT, "the statement ran past its time limit", t);
            }
            if (sql instanceof SQLTransientConnectionException || state.startsWith("08")) {
                return new GatewayException(ErrorCode.DATABASE_UNAVAILABLE, "the database cannot be reached", t);
            }
            String message = String.valueOf(sql.getMessage());
            if (message.contains("SQLITE_BUSY") || message.contains("database is locked")) {
                return new GatewayException(ErrorCode.TIMEOUT, "the database stayed busy past the time limit", t);
            }
            if (state.startsWith("23") || message.contains("SQLITE_CONSTRAINT")) {
                return new GatewayException(ErrorCode.CONSTRAINT_VIOLATION, "a database constraint rejected the write", t);
            }
        }
        return new GatewayException(ErrorCode.INTERNAL_SERVER_ERROR, "internal server error", t);
    }

    /** The innermost cause. */
    public static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
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
