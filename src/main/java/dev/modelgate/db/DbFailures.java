package dev.modelgate.db;

import dev.modelgate.error.DatabaseFailure;
import dev.modelgate.error.ErrorMapper;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/** Reads a driver's exception into a {@link DatabaseFailure}: the one place a {@code SQLException} is looked into. */
final class DbFailures {
    private DbFailures() {
    }

    /** {@code t} as a DatabaseFailure when a SQLException is among its causes; else {@code t} itself. */
    static RuntimeException translate(Throwable t) {
        if (t instanceof DatabaseFailure f) {
            return f;
        }
        SQLException sql = ErrorMapper.find(t, SQLException.class);
        if (sql == null) {
            return t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
        DatabaseFailure.Kind kind = sql instanceof SQLTimeoutException ? DatabaseFailure.Kind.TIMEOUT
                : sql instanceof SQLTransientConnectionException ? DatabaseFailure.Kind.CONNECTION : DatabaseFailure.Kind.OTHER;
        String detail = null;
        String column = null;
        if (sql instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
            detail = p.getServerErrorMessage().getDetail();
            column = p.getServerErrorMessage().getColumn();
        }
        return new DatabaseFailure(kind, sql.getSQLState(), sql.getErrorCode(), sql.getMessage(), detail, column, t);
    }
}
