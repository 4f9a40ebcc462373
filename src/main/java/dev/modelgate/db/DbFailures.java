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
        if (sql instanceof SQLTransientConnectionException && sql.getCause() instanceof SQLException login && Connectivity.refused(login)) {
            sql = login;   // the server answered and refused the login: reached, not unreachable
        }
        DatabaseFailure.Kind kind = sql instanceof SQLTimeoutException ? DatabaseFailure.Kind.TIMEOUT
                : sql instanceof SQLTransientConnectionException ? connection(sql) : DatabaseFailure.Kind.OTHER;
        String detail = null;
        String column = null;
        if (sql instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
            detail = p.getServerErrorMessage().getDetail();
            column = p.getServerErrorMessage().getColumn();
        }
        return new DatabaseFailure(kind, sql.getSQLState(), sql.getErrorCode(), sql.getMessage(), detail, column, t);
    }

    /**
     * HikariCP's "connection is not available" carries the last failed connection attempt as its
     * cause when the database cannot be reached; without one, every connection was merely busy.
     */
    private static DatabaseFailure.Kind connection(SQLException e) {
        return e.getCause() == null && String.valueOf(e.getMessage()).contains("Connection is not available")
                ? DatabaseFailure.Kind.EXHAUSTED : DatabaseFailure.Kind.CONNECTION;
    }
}
