package dev.modelgate.error;

/**
 * What the database said when a statement failed, in plain values: the db stage reads them
 * off the driver's exception, so that error mapping needs no JDBC type. The message and
 * detail are the driver's own words: for the log and for naming a constraint's column, never
 * for a client.
 */
public final class DatabaseFailure extends RuntimeException {
    /**
     * How the driver or the pool classed the failure, where its exception type says more than the
     * SQLSTATE. {@code EXHAUSTED}: the pool had no free connection within its wait, though the
     * database answers (no connection attempt failed).
     */
    public enum Kind { TIMEOUT, CONNECTION, EXHAUSTED, OTHER }

    private final Kind kind;
    private final String sqlState;
    private final int vendorCode;
    private final String detail;
    private final String column;

    public DatabaseFailure(Kind kind, String sqlState, int vendorCode, String message, String detail, String column, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.sqlState = sqlState == null ? "" : sqlState;
        this.vendorCode = vendorCode;
        this.detail = detail;
        this.column = column;
    }

    public Kind kind() {
        return kind;
    }

    /** The SQLSTATE, or "" when the driver gave none. */
    public String sqlState() {
        return sqlState;
    }

    public int vendorCode() {
        return vendorCode;
    }

    /** The driver's message with the server's detail line, when it has one. */
    public String text() {
        return detail == null ? String.valueOf(getMessage()) : getMessage() + " " + detail;
    }

    /** The column the server named (PostgreSQL reports it apart from the message), or null. */
    public String column() {
        return column;
    }
}
