package dev.modelgate.sql;

import java.util.ArrayList;
import java.util.List;

/** Accumulates SQL text and bound parameters; hands out fresh table aliases. */
final class SqlBuilder {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    private int aliases;

    SqlBuilder append(String text) {
        sql.append(text);
        return this;
    }

    /** Appends a placeholder bound to {@code value}. */
    SqlBuilder bind(Object value) {
        sql.append('?');
        params.add(value);
        return this;
    }

    String newAlias(String prefix) {
        return prefix + (++aliases);
    }

    int paramCount() {
        return params.size();
    }

    SqlStatement build() {
        return new SqlStatement(sql.toString(), params);
    }
}
