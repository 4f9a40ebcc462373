package dev.modelgate.db;

import dev.modelgate.sql.Fragment;
import org.apache.ibatis.executor.resultset.ResultSetWrapper;
import org.apache.ibatis.executor.statement.StatementHandler;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ResultHandler;
import org.apache.ibatis.type.ByteTypeHandler;
import org.apache.ibatis.type.IntegerTypeHandler;
import org.apache.ibatis.type.LongTypeHandler;
import org.apache.ibatis.type.ShortTypeHandler;
import org.apache.ibatis.type.TypeHandler;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the rows of the SELECTs Modelgate renders straight from the result set. MyBatis still prepares,
 * binds, times and runs the statement; only the mapping of rows into maps is done here, with
 * the type handlers MyBatis's own automapping would choose (looked up once per column per
 * statement), instead of its reflective property mapping per cell. Users' mapped statements
 * keep MyBatis's result mapping untouched.
 */
@Intercepts(@Signature(type = StatementHandler.class, method = "query", args = {Statement.class, ResultHandler.class}))
final class RenderedRows implements StatementPlugin {
    private final Configuration configuration;

    RenderedRows(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        StatementHandler handler = (StatementHandler) invocation.getTarget();
        if (!(handler.getBoundSql().getParameterObject() instanceof Fragment)) {
            return invocation.proceed();
        }
        PreparedStatement ps = (PreparedStatement) invocation.getArgs()[0];
        ps.execute();
        try (ResultSet rs = ps.getResultSet()) {
            ResultSetWrapper columns = new ResultSetWrapper(rs, configuration);
            String[] names = columns.getColumnNames().toArray(new String[0]);
            int n = names.length;
            TypeHandler<?>[] handlers = new TypeHandler<?>[n];
            for (int i = 0; i < n; i++) {
                TypeHandler<?> h = columns.getTypeHandler(Object.class, names[i]);
                // integers as the driver's own object: one call instead of getInt and wasNull (each takes
                // the connection's lock in MySQL's driver), and an unsigned value comes as a wider type, not wrapped
                handlers[i] = h instanceof IntegerTypeHandler || h instanceof LongTypeHandler || h instanceof ShortTypeHandler
                        || h instanceof ByteTypeHandler ? null : h;
            }
            List<Object> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] values = new Object[n];
                for (int i = 0; i < n; i++) {
                    values[i] = handlers[i] == null ? rs.getObject(i + 1) : handlers[i].getResult(rs, i + 1);
                }
                rows.add(new Row(names, values));
            }
            return rows;
        }
    }
}
