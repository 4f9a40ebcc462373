package dev.modelgate.db;

import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.ErrorMapper;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pool's "no connection" as the driver's reason makes it: unreachable only when no server answered. */
class DbFailuresTest {
    private static ErrorCode code(SQLException cause) {
        SQLTransientConnectionException pool = new SQLTransientConnectionException("modelgate - Connection is not available, request timed out after 5000ms", null, cause);
        return ErrorMapper.map(DbFailures.translate(new RuntimeException(pool))).code();
    }

    @Test
    void aRefusedLoginIsNotAnUnreachableDatabase() {
        assertEquals(ErrorCode.INTERNAL_SERVER_ERROR, code(new SQLException("Access denied for user 'app'", "28000", 1045)));
        assertEquals(ErrorCode.INTERNAL_SERVER_ERROR, code(new SQLException("FATAL: password authentication failed", "28P01")));
        assertEquals(ErrorCode.INTERNAL_SERVER_ERROR, code(new SQLException("FATAL: database \"x\" does not exist", "3D000")));
    }

    @Test
    void noServerAnsweringIsUnavailable() {
        assertEquals(ErrorCode.DATABASE_UNAVAILABLE, code(new SQLException("Connection refused", "08001", 0, new ConnectException("refused"))));
    }
}
