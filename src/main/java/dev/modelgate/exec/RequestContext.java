package dev.modelgate.exec;

import java.util.UUID;

/** What one GraphQL request carries through its fetchers: its id and its database session. */
public final class RequestContext implements AutoCloseable {
    private final String requestId = UUID.randomUUID().toString();
    private final Session session;
    private volatile boolean failed;

    public RequestContext(Session session) {
        this.session = session;
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
