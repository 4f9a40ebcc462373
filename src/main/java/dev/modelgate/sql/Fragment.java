package dev.modelgate.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL as a value: text with {@code ?} placeholders and the values bound to them, in order,
 * always together (as pg-sql2's {@code compile()} or mybatis-dynamic-sql's
 * {@code FragmentAndParameters}). Renderers and dialects build statements by joining
 * fragments, so a value can never be spliced into text nor a placeholder lose its value.
 * A whole statement is a fragment too.
 */
public record Fragment(String sql, List<Object> params) {
    public static final Fragment EMPTY = new Fragment("", List.of());

    public Fragment {
        params = java.util.Collections.unmodifiableList(new ArrayList<>(params));
    }

    /** Text without parameters (identifiers and keywords that come from the models, never from a client). */
    public static Fragment of(String sql) {
        return new Fragment(sql, List.of());
    }

    /** One placeholder bound to {@code value}. */
    public static Fragment param(Object value) {
        List<Object> one = new ArrayList<>(1);
        one.add(value);
        return new Fragment("?", one);
    }

    /** This fragment followed by the given pieces (each a {@link Fragment} or plain text). */
    public Fragment then(Object... pieces) {
        StringBuilder sb = new StringBuilder(sql);
        List<Object> ps = new ArrayList<>(params);
        for (Object p : pieces) {
            if (p instanceof Fragment f) {
                sb.append(f.sql);
                ps.addAll(f.params);
            } else {
                sb.append((String) p);
            }
        }
        return new Fragment(sb.toString(), ps);
    }

    /** The pieces given (fragments or text), one after the other. */
    public static Fragment concat(Object... pieces) {
        return EMPTY.then(pieces);
    }

    /** The fragments separated by {@code separator}. */
    public static Fragment join(String separator, List<Fragment> items) {
        StringBuilder sb = new StringBuilder();
        List<Object> ps = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            sb.append(i > 0 ? separator : "").append(items.get(i).sql);
            ps.addAll(items.get(i).params);
        }
        return new Fragment(sb.toString(), ps);
    }

    public boolean isEmpty() {
        return sql.isEmpty();
    }

    @Override
    public String toString() {
        return sql + " " + params;
    }
}
