package dev.modelgate.exec;

import dev.modelgate.db.Session;

import java.util.UUID;

/** What one GraphQL request carries through its fetchers: its id, its database session and its role's access. */
public final class RequestContext implements AutoCloseable {
    private final String requestId = UUID.randomUUID().toString();
    private final Session session;
    private final Telemetry telemetry;
    private final dev.modelgate.ir.Access access;
    private volatile boolean failed;
    private final java.util.Map<Object, Object> perField = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    private volatile String operation = "none";
    private volatile boolean byLevels;

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

    /**
     * A value worked out once per field of the document (an AST node) rather than once per
     * row: a relationship level's DataLoader name and arguments. Within one request a field
     * node always has the same arguments, since the variables are fixed.
     */
    @SuppressWarnings("unchecked")
    <T> T perField(Object fieldNode, java.util.function.Function<Integer, T> make) {
        synchronized (perField) {
            Object v = perField.get(fieldNode);
            if (v == null) {
                v = make.apply(perField.size());
                perField.put(fieldNode, v);
            }
            return (T) v;
        }
    }

    /** Whether the operation ran level by level ({@link LevelExecution}) rather than field by field. */
    public boolean byLevels() {
        return byLevels;
    }

    void ranByLevels() {
        byLevels = true;
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
