package dev.modelgate.db;

import org.apache.ibatis.executor.statement.StatementHandler;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ResultHandler;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The statement time limit for drivers whose JDBC query timeout does not stop a running
 * statement (SQLite's only waits on locks): a timer cancels the statement
 * ({@code sqlite3_interrupt}) when it runs past the limit, and the failure is reported as a
 * timeout.
 */
@Intercepts({
        @Signature(type = StatementHandler.class, method = "query", args = {Statement.class, ResultHandler.class}),
        @Signature(type = StatementHandler.class, method = "update", args = {Statement.class})})
final class StatementWatchdog implements StatementPlugin {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "modelgate-statement-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Configuration configuration;

    StatementWatchdog(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        Integer seconds = configuration.getDefaultStatementTimeout();
        if (seconds == null || seconds <= 0) {
            return invocation.proceed();
        }
        Statement statement = (Statement) invocation.getArgs()[0];
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> cancel = TIMER.schedule(() -> {
            fired.set(true);
            try {
                statement.cancel();
            } catch (SQLException ignored) {
                // the statement finished meanwhile
            }
        }, seconds, TimeUnit.SECONDS);
        try {
            return invocation.proceed();
        } catch (Throwable e) {
            if (fired.get()) {
                throw new SQLTimeoutException("statement cancelled after " + seconds + " s", "HYT00", e);
            }
            throw e;
        } finally {
            cancel.cancel(false);
        }
    }
}
