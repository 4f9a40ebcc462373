package dev.modelgate.db;

import org.apache.ibatis.executor.statement.StatementHandler;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.session.ResultHandler;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The statement time limit, the same on every database: a statement still running past the limit
 * is cancelled ({@code Statement.cancel()}: MySQL's {@code KILL QUERY}, PostgreSQL's cancel
 * request, {@code sqlite3_interrupt}, H2's cancel) and its failure is reported as a timeout.
 *
 * <p>One sweeper thread looks at the running statements a few times a second, instead of a timer
 * task per statement: the drivers' own query timeouts (and a scheduled task each) put every
 * statement through one contended timer lock and a thread wake-up, about 6% of a one-row request's
 * CPU on MySQL (profile in docs/benchmarks/peers.md). A statement is cancelled at most one sweep
 * late. SQLite's driver timeout only bounds waiting on locks, so it needed this anyway.
 */
@Intercepts({
        @Signature(type = StatementHandler.class, method = "query", args = {Statement.class, ResultHandler.class}),
        @Signature(type = StatementHandler.class, method = "update", args = {Statement.class})})
final class StatementWatchdog implements StatementPlugin, AutoCloseable {
    private static final long SWEEP_MS = 100;
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "modelgate-statement-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** A statement being run, until when it may run, and whether the sweeper cancelled it. */
    private static final class Running {
        final Statement statement;
        final long deadline;
        boolean done;
        boolean cancelled;

        Running(Statement statement, long deadline) {
            this.statement = statement;
            this.deadline = deadline;
        }
    }

    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> sweeps;
    private volatile int seconds;

    StatementWatchdog() {
        sweeps = SWEEPER.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        sweeps.cancel(false);
    }

    /** Seconds a statement may run; 0: no limit. */
    void limit(int seconds) {
        this.seconds = Math.max(0, seconds);
    }

    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        int limit = seconds;
        if (limit == 0) {
            return invocation.proceed();
        }
        Running r = new Running((Statement) invocation.getArgs()[0], System.nanoTime() + TimeUnit.SECONDS.toNanos(limit));
        running.add(r);
        try {
            return invocation.proceed();
        } catch (Throwable e) {
            synchronized (r) {
                if (r.cancelled) {
                    throw new SQLTimeoutException("statement cancelled after " + limit + " s", "HYT00", e);
                }
            }
            throw e;
        } finally {
            running.remove(r);
            synchronized (r) {   // waits for a cancel in flight: it must not reach the connection's next statement
                r.done = true;
            }
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Running r : running) {
            if (now - r.deadline < 0) {
                continue;
            }
            synchronized (r) {
                if (r.done || r.cancelled) {
                    continue;
                }
                r.cancelled = true;
                try {
                    r.statement.cancel();
                } catch (SQLException | RuntimeException ignored) {
                    // the statement finished meanwhile, or the connection is gone
                }
            }
        }
    }
}
