package dev.modelgate.db;

import org.apache.ibatis.executor.statement.StatementHandler;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A MyBatis plugin that sees every statement prepared on the database, generated or
 * hand-written: it counts them and tells listeners the SQL.
 */
@Intercepts(@Signature(type = StatementHandler.class, method = "prepare", args = {Connection.class, Integer.class}))
public final class StatementObserver implements StatementPlugin {
    private final AtomicLong count = new AtomicLong();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        count.incrementAndGet();
        if (!listeners.isEmpty()) {
            String sql = ((StatementHandler) invocation.getTarget()).getBoundSql().getSql();
            listeners.forEach(l -> l.accept(sql));
        }
        return invocation.proceed();
    }

    public long count() {
        return count.get();
    }

    public Runnable listen(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
