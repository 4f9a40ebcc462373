package dev.modelgate.db;

import dev.modelgate.error.ErrorMapper;

import dev.modelgate.sql.Fragment;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

import java.util.List;
import java.util.Map;

/**
 * The database work of one request. A transactional session (a mutation) is one MyBatis
 * session on one pooled connection, opened on the first statement, committed or rolled back
 * as one unit; a query borrows a connection per statement.
 */
public final class Session implements AutoCloseable {
    private final SqlSessionFactory factory;
    private final Availability availability;
    private boolean transactional;
    private SqlSession session;
    private long statements;

    /** SQL text → the end of its tracing span (a no-op when tracing is off). */
    private final java.util.function.Function<String, Runnable> spans;

    /** The read replicas a query's reads may go to (null: none), the one picked, and the position it must have reached. */
    private final Replicas replicas;
    private Replicas.Replica readingFrom;
    private boolean picked;
    private String consistency;

    Session(SqlSessionFactory factory, boolean transactional, Availability availability, java.util.function.Function<String, Runnable> spans,
            Replicas replicas) {
        this.spans = spans;
        this.replicas = replicas;
        this.factory = factory;
        this.transactional = transactional;
        this.availability = availability;
    }

    public List<Map<String, Object>> select(Fragment stmt) {
        return run(stmt.sql(), () -> session().selectList(Database.SELECT, stmt));
    }

    public int update(Fragment stmt) {
        return run(stmt.sql(), () -> session().update(Database.UPDATE, stmt));
    }

    /**
     * Runs one statement: counted, and with the database's exception made safe for clients.
     * Outside a transaction the connection goes back to the pool after each statement, so a
     * query holds one only while SQL runs, not while GraphQL shapes its rows.
     */
    private <T> T run(String sql, java.util.function.Supplier<T> statement) {
        if (session == null && availability.down()) {   // no connection yet, and none to be had: at once
            throw ErrorMapper.map(new dev.modelgate.error.DatabaseFailure(dev.modelgate.error.DatabaseFailure.Kind.CONNECTION,
                    "08001", 0, "the database is down (found unreachable, not answering since)", null, null, null));
        }
        statements++;
        Runnable traced = spans.apply(sql);   // a tracing span for the statement, when tracing is on
        try {
            return statement.get();
        } catch (RuntimeException e) {
            RuntimeException failure = DbFailures.translate(e);
            dev.modelgate.error.DatabaseFailure cause = ErrorMapper.find(failure, dev.modelgate.error.DatabaseFailure.class);
            if (readingFrom != null && cause != null && ErrorMapper.unreachable(cause)) {   // a replica went away: the primary reads it
                replicas.failed(readingFrom);
                readingFrom = null;
                close();
                traced.run();
                traced = () -> { };
                return run(sql, statement);
            }
            if (cause != null && ErrorMapper.unreachable(cause)) {   // not a locked SQLite file: that server is there
                availability.unreachable();
            }
            throw ErrorMapper.map(failure);
        } finally {
            traced.run();
            if (!transactional && session != null) {
                session.close();
                session = null;
            }
        }
    }

    /**
     * Runs an INSERT and returns the keys it generated, in row order: read from its
     * {@code RETURNING} rows when {@code returning}, else from JDBC's generated keys.
     */
    public List<Object> insert(Fragment stmt, boolean returning) {
        if (returning) {
            return select(stmt).stream().map(row -> row.values().iterator().next()).toList();
        }
        GeneratedKeys.Insert ins = new GeneratedKeys.Insert(stmt, new java.util.ArrayList<>());
        run(stmt.sql(), () -> session().insert(Database.INSERT, ins));
        return ins.keys();
    }

    /** Runs a user's mapped SELECT statement. */
    public List<Object> selectMapped(String statement, Object params) {
        return run(statement, () -> session().selectList(statement, params));
    }

    /** Runs a user's mapped INSERT, UPDATE or DELETE statement; returns the affected row count. */
    public int updateMapped(String statement, Object params) {
        return run(statement, () -> session().update(statement, params));
    }

    /** Makes this session one transaction; must come before its first statement. */
    public void beginTransaction() {
        if (transactional) {
            return;
        }
        if (session != null) {
            throw new IllegalStateException("a transaction must begin before the first statement");
        }
        transactional = true;
    }

    /** The statements this session has run. */
    public long statements() {
        return statements;
    }

    public boolean transactional() {
        return transactional;
    }

    /** Whether the user's mapped statement {@code id} is a SELECT (else INSERT, UPDATE or DELETE); borrows no connection. */
    public boolean isSelect(String id) {
        return factory.getConfiguration().getMappedStatement(id).getSqlCommandType() == org.apache.ibatis.mapping.SqlCommandType.SELECT;
    }

    /** The MyBatis session, for users' own mapper statements. */
    public SqlSession session() {
        if (session == null) {
            if (!transactional && replicas != null && !picked) {   // a query's reads: one replica for all of them, picked once
                readingFrom = replicas.pick(consistency);
                picked = true;
            }
            session = (readingFrom != null ? Replicas.sessions(readingFrom) : factory).openSession(!transactional);
        }
        return session;
    }

    /**
     * The position (a mutation's consistency token) this session's reads must see: a replica that
     * has not reached it does not serve them. Before the first statement.
     */
    public void consistency(String position) {
        this.consistency = position;
    }


    public void commit() {
        end(s -> s.commit(true));
    }

    public void rollback() {
        end(s -> s.rollback(true));
    }

    /** Commits or rolls back the transaction, if a statement began one; a driver failure is read as any other. */
    private void end(java.util.function.Consumer<SqlSession> how) {
        if (session != null) {
            try {
                how.accept(session);
            } catch (RuntimeException e) {
                throw DbFailures.translate(e);
            }
        }
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
