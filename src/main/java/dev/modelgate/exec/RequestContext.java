package dev.modelgate.exec;

import java.util.UUID;

/** What one GraphQL request carries through its fetchers: its id and its database session. */
public final class RequestContext implements AutoCloseable {
    private final String requestId = UUID.randomUUID().toString();
    private final Session session;
    private final Telemetry telemetry;
    private volatile boolean failed;
    private volatile String operation = "none";

    public RequestContext(Session session, Telemetry telemetry) {
        this.session = session;
        this.telemetry = telemetry;
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
