package dev.modelgate.sql;

import dev.modelgate.ir.Delete;
import dev.modelgate.ir.Insert;
import dev.modelgate.ir.Update;
import dev.modelgate.ir.Upsert;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;

import java.util.List;
import java.util.Map;

/**
 * Renders write IR. Writes always target rows by primary key (found first by a select), so
 * an UPDATE or DELETE can never lose its WHERE: an empty key list is refused here.
 */
public final class WriteRenderer {
    private final Dialect d;

    public WriteRenderer(Dialect dialect) {
        this.d = dialect;
    }

    /** A multi-row INSERT returning the primary key of each row. */
    public Fragment insert(Insert ins) {
        Model m = ins.model();
        SqlBuilder b = new SqlBuilder();
        b.append("INSERT INTO ").append(d.quote(m.table()));
        if (ins.fields().isEmpty()) {
            if (ins.rows().size() != 1) {
                throw new IllegalArgumentException("rows with no values are inserted one at a time");
            }
            b.append(d.defaultValuesInsert());
        } else {
            b.append(" (");
            for (int i = 0; i < ins.fields().size(); i++) {
                b.append(i > 0 ? ", " : "").append(d.quote(ins.fields().get(i).column()));
            }
            b.append(") VALUES ");
            for (int r = 0; r < ins.rows().size(); r++) {
                b.append(r > 0 ? ", (" : "(");
                List<Object> row = ins.rows().get(r);
                for (int i = 0; i < row.size(); i++) {
                    b.append(i > 0 ? ", " : "").bind(d.toJdbc(ins.fields().get(i), row.get(i)));
                }
                b.append(")");
            }
        }
        if (d.insertReturning()) {
            b.append(" RETURNING ").append(d.quote(m.id().column()));
        }
        return b.build();
    }

    public Fragment update(Update u) {
        requireKeys(u.keys(), "UPDATE");
        Model m = u.model();
        SqlBuilder b = new SqlBuilder();
        b.append("UPDATE ").append(d.quote(m.table())).append(" SET ");
        boolean first = true;
        for (Map.Entry<Field, Object> e : u.set().entrySet()) {
            b.append(first ? "" : ", ").append(d.quote(e.getKey().column())).append(" = ").bind(d.toJdbc(e.getKey(), e.getValue()));
            first = false;
        }
        for (Map.Entry<Field, Object> e : u.inc().entrySet()) {
            String col = d.quote(e.getKey().column());
            b.append(first ? "" : ", ").append(col).append(" = ").append(col).append(" + ").bind(d.toJdbc(e.getKey(), e.getValue()));
            first = false;
        }
        b.append(" WHERE ");
        in(b, m.id(), d.quote(m.id().column()), u.keys());
        return b.build();
    }

    public Fragment delete(Delete del) {
        requireKeys(del.keys(), "DELETE");
        SqlBuilder b = new SqlBuilder();
        b.append("DELETE FROM ").append(d.quote(del.table())).append(" WHERE ");
        in(b, del.keyField(), d.quote(del.column()), del.keys());
        return b.build();
    }

    /** One atomic INSERT … ON CONFLICT / ON DUPLICATE KEY UPDATE (or MERGE) statement. */
    public Fragment upsert(Upsert u) {
        if (d.mergeUpsert()) {
            return merge(u);
        }
        Model m = u.model();
        SqlBuilder b = new SqlBuilder();
        b.append("INSERT INTO ").append(d.quote(m.table())).append(" (");
        List<Field> fields = List.copyOf(u.values().keySet());
        for (int i = 0; i < fields.size(); i++) {
            b.append(i > 0 ? ", " : "").append(d.quote(fields.get(i).column()));
        }
        b.append(") VALUES (");
        for (int i = 0; i < fields.size(); i++) {
            b.append(i > 0 ? ", " : "").bind(d.toJdbc(fields.get(i), u.values().get(fields.get(i))));
        }
        String conflict = d.quote(u.conflict().column());
        b.append(")");
        List<Fragment> updates = new java.util.ArrayList<>();
        for (Map.Entry<Field, Object> e : u.update().entrySet()) {
            updates.add(Fragment.concat(d.quote(e.getKey().column()) + " = ", Fragment.param(d.toJdbc(e.getKey(), e.getValue()))));
        }
        return b.append(d.upsertClause(conflict, updates)).build();
    }

    /** The standard MERGE form of an upsert; values are typed by CAST so the source row has column types. */
    private Fragment merge(Upsert u) {
        Model m = u.model();
        List<Field> fields = List.copyOf(u.values().keySet());
        String target = d.quote("__t");
        String source = d.quote("__s");
        SqlBuilder b = new SqlBuilder();
        b.append("MERGE INTO ").append(d.quote(m.table())).append(" AS ").append(target).append(" USING (VALUES (");
        for (int i = 0; i < fields.size(); i++) {
            b.append(i > 0 ? ", " : "").append("CAST(").bind(d.toJdbc(fields.get(i), u.values().get(fields.get(i))))
                    .append(" AS ").append(d.columnType(fields.get(i))).append(")");
        }
        b.append(")) AS ").append(source).append(" (");
        for (int i = 0; i < fields.size(); i++) {
            b.append(i > 0 ? ", " : "").append(d.quote(fields.get(i).column()));
        }
        String conflict = d.quote(u.conflict().column());
        b.append(") ON ").append(target).append('.' + conflict).append(" = ").append(source).append('.' + conflict);
        b.append(" WHEN MATCHED THEN UPDATE SET ");
        if (u.update().isEmpty()) {
            b.append(conflict).append(" = ").append(source).append('.' + conflict);
        }
        boolean first = true;
        for (Map.Entry<Field, Object> e : u.update().entrySet()) {
            b.append(first ? "" : ", ").append(d.quote(e.getKey().column())).append(" = ").bind(d.toJdbc(e.getKey(), e.getValue()));
            first = false;
        }
        b.append(" WHEN NOT MATCHED THEN INSERT (");
        for (int i = 0; i < fields.size(); i++) {
            b.append(i > 0 ? ", " : "").append(d.quote(fields.get(i).column()));
        }
        b.append(") VALUES (");
        for (int i = 0; i < fields.size(); i++) {
            b.append(i > 0 ? ", " : "").append(source).append('.' + d.quote(fields.get(i).column()));
        }
        return b.append(")").build();
    }

    /** Rows of the join table linking {@code key} values to {@code otherKey} values. */
    public Fragment link(String table, String keyColumn, Field keyField, String otherColumn, Field otherField, List<Object[]> pairs) {
        SqlBuilder b = new SqlBuilder();
        b.append("INSERT INTO ").append(d.quote(table)).append(" (").append(d.quote(keyColumn)).append(", ")
                .append(d.quote(otherColumn)).append(") VALUES ");
        for (int i = 0; i < pairs.size(); i++) {
            b.append(i > 0 ? ", (" : "(").bind(d.toJdbc(keyField, pairs.get(i)[0])).append(", ")
                    .bind(d.toJdbc(otherField, pairs.get(i)[1])).append(")");
        }
        return b.build();
    }

    /** Removes the given links from a join table. */
    public Fragment unlink(String table, String keyColumn, Field keyField, Object key, String otherColumn, Field otherField, List<Object> others) {
        requireKeys(others, "DELETE");
        SqlBuilder b = new SqlBuilder();
        b.append("DELETE FROM ").append(d.quote(table)).append(" WHERE ").append(d.quote(keyColumn)).append(" = ")
                .bind(d.toJdbc(keyField, key)).append(" AND ");
        in(b, otherField, d.quote(otherColumn), others);
        return b.build();
    }

    private void in(SqlBuilder b, Field f, String column, List<Object> keys) {
        b.append(column).append(" IN (");
        for (int i = 0; i < keys.size(); i++) {
            b.append(i > 0 ? ", " : "").bind(d.toJdbc(f, keys.get(i)));
        }
        b.append(")");
    }

    private static void requireKeys(List<Object> keys, String what) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("refusing to render " + what + " without a WHERE");
        }
    }
}
