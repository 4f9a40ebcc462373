package dev.modelgate.exec;

import dev.modelgate.error.Errors;

import dev.modelgate.db.Session;


/** What one GraphQL request carries through its fetchers: its id, its database session and its role's access. */
public final class RequestContext implements AutoCloseable {
    private final String requestId = Errors.newRequestId();
    private final Session session;
    private final Telemetry telemetry;
    private final dev.modelgate.ir.Access access;
    private volatile boolean failed;
    private volatile String operation = "none";

    public RequestContext(Session session, Telemetry telemetry, dev.modelgate.ir.Access access) {
        this.session = session;
        this.telemetry = telemetry;
        this.access = access;
    }

    /** What the request's role may do. */
    public dev.modelgate.ir.Access access() {
        return access;
    }

    Telemetry telemetry() {
        return telemetry;
    }

    /** The type of the operation being run: query, mutation, or none before one is chosen. */
    public String operation() {
        return operation;
    }

    void operation(String type) {
        this.operation = type;
    }

    public String requestId() {
        return requestId;
    }

    public Session session() {
        return session;
    }



    /** Marks the operation failed: its later mutation fields are skipped and it rolls back. */
    public void fail() {
        failed = true;
    }

    public boolean failed() {
        return failed;
    }

    @Override
    public void close() {
        session.close();
    }
}
