package dev.modelgate.error;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What each database's failure becomes, by SQLSTATE class and vendor code, as docs/errors.md and issue 18 list them. */
class ErrorMapperTest {
    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "OTHER, 08006, 0, DATABASE_UNAVAILABLE",        // PostgreSQL connection failure
            "OTHER, 57P01, 0, DATABASE_UNAVAILABLE",        // PostgreSQL: terminating connection due to administrator command
            "OTHER, 57P02, 0, DATABASE_UNAVAILABLE",        // crash shutdown
            "OTHER, 57P03, 0, DATABASE_UNAVAILABLE",        // cannot connect now (starting up)
            "OTHER, HY000, 1053, DATABASE_UNAVAILABLE",     // MySQL: server shutdown in progress
            "OTHER, HY000, 2006, DATABASE_UNAVAILABLE",     // MySQL server has gone away
            "OTHER, HY000, 2013, DATABASE_UNAVAILABLE",     // lost connection during query
            "CONNECTION, '', 0, DATABASE_UNAVAILABLE",      // no connection to be had, the database does not answer
            "EXHAUSTED, '', 0, OVERLOADED",                 // every connection busy, the database answers
            "OTHER, 40001, 1213, CONFLICT",                 // MySQL deadlock; a Galera certification failure ("WSREP detected deadlock/conflict") is the same
            "OTHER, HY000, 1205, CONFLICT",                 // MySQL lock wait timeout
            "OTHER, 40000, 3101, CONFLICT",                 // Group Replication: the plugin rolled the transaction back at commit
            "OTHER, 40001, 0, CONFLICT",                    // PostgreSQL serialization failure
            "OTHER, 40P01, 0, CONFLICT",                    // PostgreSQL deadlock
            "OTHER, 22021, 0, BAD_USER_INPUT",              // invalid byte sequence (a NUL byte)
            "OTHER, 22003, 0, BAD_USER_INPUT",              // numeric value out of range
            "OTHER, 23505, 0, CONSTRAINT_VIOLATION",
            "OTHER, 57014, 0, TIMEOUT",
            "TIMEOUT, '', 0, TIMEOUT",
            "OTHER, 42601, 0, INTERNAL_SERVER_ERROR",
    })
    void failuresMapByStateAndVendorCode(DatabaseFailure.Kind kind, String state, int vendor, ErrorCode expected) {
        DatabaseFailure f = new DatabaseFailure(kind, state, vendor, "driver text: SELECT secret FROM t", null, null, null);
        GatewayException g = ErrorMapper.map(new RuntimeException("wrapped", f));
        assertEquals(expected, g.code());
        assertFalse(g.getMessage().contains("SELECT"), "no driver text in the message: " + g.getMessage());
    }
}
