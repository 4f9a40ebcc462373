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

    public static GatewayException map(Throwable t) {
        if (t instanceof GatewayException g) {
            return g;
        }
        DatabaseFailure sql = find(t, DatabaseFailure.class);
        if (sql != null) {
            String state = sql.sqlState();
            if (sql.kind() == DatabaseFailure.Kind.TIMEOUT || state.equals("57014") || state.equals("HYT00")) {
                return new GatewayException(ErrorCode.TIMEOUT, "the statement ran past its time limit", t);
            }
            if (sql.kind() == DatabaseFailure.Kind.CONNECTION || state.startsWith("08")) {
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
