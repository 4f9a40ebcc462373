package dev.modelgate.sql;

import dev.modelgate.model.Field;
import dev.modelgate.model.Keys;

import java.util.List;

/**
 * Matching rows by key values ({@link Keys}): {@code c IN (?, ?)} for a one-field key,
 * {@code (c1, c2) IN ((?, ?), (?, ?))} for a composite one (SQLite, whose row-value IN takes
 * only a subquery: {@code IN (VALUES (?, ?), …)}). Every value is a bound parameter.
 */
final class KeyLists {
    private KeyLists() {
    }

    /**
     * Renders {@code columns IN (keys)}; {@code slots} ≥ keys (the extra slots repeat the last
     * key, so that batches of different sizes share a statement text).
     */
    static void in(SqlBuilder b, Dialect d, List<String> columns, List<Field> fields, List<Object> keys, int slots) {
        int n = columns.size();
        boolean narrow = n > 1 && !d.rowValueListPrefix().isEmpty();
        if (narrow) {
            // SQLite scans the table for a row-value IN over VALUES; an IN on the first column
            // beside it lets the key's index find the candidates
            b.append("(").append(columns.get(0)).append(" IN (");
            for (int i = 0; i < slots; i++) {
                b.append(i > 0 ? ", " : "").bind(d.toJdbc(fields.get(0), Keys.parts(keys.get(Math.min(i, keys.size() - 1)), n).get(0)));
            }
            b.append(") AND ");
        }
        if (n == 1) {
            b.append(columns.get(0)).append(" IN (");
        } else {
            b.append("(").append(String.join(", ", columns)).append(") IN (").append(d.rowValueListPrefix());
        }
        for (int i = 0; i < slots; i++) {
            b.append(i > 0 ? ", " : "");
            List<Object> parts = Keys.parts(keys.get(Math.min(i, keys.size() - 1)), n);
            if (n > 1) {
                b.append("(");
            }
            for (int j = 0; j < n; j++) {
                b.append(j > 0 ? ", " : "").bind(d.toJdbc(fields.get(j), parts.get(j)));
            }
            if (n > 1) {
                b.append(")");
            }
        }
        b.append(narrow ? "))" : ")");
    }

    /** {@code a1 = b1 AND a2 = b2 …} over two column lists of the same length. */
    static String equal(List<String> left, List<String> right) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < left.size(); i++) {
            s.append(i > 0 ? " AND " : "").append(left.get(i)).append(" = ").append(right.get(i));
        }
        return s.toString();
    }
}
