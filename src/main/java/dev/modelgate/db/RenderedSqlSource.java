package dev.modelgate.db;

import dev.modelgate.sql.Fragment;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.ParameterMapping;
import org.apache.ibatis.mapping.SqlSource;
import org.apache.ibatis.session.Configuration;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands MyBatis the SQL and parameters rendered by the sql stage: the statement's
 * {@code ?} placeholders are bound, in order, to additional parameters {@code p0, p1, …}.
 */
final class RenderedSqlSource implements SqlSource {
    private final Configuration configuration;

    RenderedSqlSource(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public BoundSql getBoundSql(Object parameterObject) {
        Fragment stmt = parameterObject instanceof GeneratedKeys.Insert ins ? ins.statement() : (Fragment) parameterObject;
        List<ParameterMapping> mappings = new ArrayList<>(stmt.params().size());
        for (int i = 0; i < stmt.params().size(); i++) {
            mappings.add(new ParameterMapping.Builder(configuration, "p" + i, Object.class).build());
        }
        BoundSql bound = new BoundSql(configuration, stmt.sql(), mappings, parameterObject);
        for (int i = 0; i < stmt.params().size(); i++) {
            bound.setAdditionalParameter("p" + i, stmt.params().get(i));
        }
        return bound;
    }
}
