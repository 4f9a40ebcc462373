package dev.modelgate.exec;

import java.util.UUID;

/** What one GraphQL request carries through its fetchers: its id and its database session. */
public final class RequestContext implements AutoCloseable {
    private final String requestId = UUID.randomUUID().toString();
    private final Session session;

    public RequestContext(Session session) {
        this.session = session;
    }

    public String requestId() {
        return requestId;
    }

    public Session session() {
        return session;
    }

    @Override
    public void close() {
        session.close();
    }
}
