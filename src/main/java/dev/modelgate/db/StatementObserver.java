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
    private final List<java.util.function.BiConsumer<String, List<Object>>> bound = new CopyOnWriteArrayList<>();

    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        count.incrementAndGet();
        if (!listeners.isEmpty() || !bound.isEmpty()) {
            org.apache.ibatis.mapping.BoundSql b = ((StatementHandler) invocation.getTarget()).getBoundSql();
            listeners.forEach(l -> l.accept(b.getSql()));
            if (!bound.isEmpty()) {
                List<Object> params = new java.util.ArrayList<>();
                for (org.apache.ibatis.mapping.ParameterMapping m : b.getParameterMappings()) {
                    params.add(b.hasAdditionalParameter(m.getProperty()) ? b.getAdditionalParameter(m.getProperty()) : "#{" + m.getProperty() + "}");
                }
                bound.forEach(l -> l.accept(b.getSql(), params));
            }
        }
        return invocation.proceed();
    }

    /** Tells {@code listener} each statement's SQL and the parameters it is sent with (golden tests: what really runs). */
    public Runnable listenWithParameters(java.util.function.BiConsumer<String, List<Object>> listener) {
        bound.add(listener);
        return () -> bound.remove(listener);
    }

    public long count() {
        return count.get();
    }

    public Runnable listen(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
