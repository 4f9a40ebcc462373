package dev.modelgate.sql;

import java.util.ArrayList;
import java.util.List;

/** Accumulates one statement's text and bound parameters from fragments; hands out fresh table aliases. */
final class SqlBuilder {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    private int aliases;

    SqlBuilder append(String text) {
        sql.append(text);
        return this;
    }

    SqlBuilder append(Fragment f) {
        sql.append(f.sql());
        params.addAll(f.params());
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

    Fragment build() {
        return new Fragment(sql.toString(), params);
    }
}
