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
        if (generatesKey(ins)) {
            b.append(" RETURNING ").append(d.quote(m.singleKey().column()));
        }
        return b.build();
    }

    /**
     * Whether the insert reads back keys the database generates ({@code RETURNING} where the
     * dialect has it): when the rows do not give the whole key themselves.
     */
    public boolean generatesKey(Insert ins) {
        Model m = ins.model();
        return d.insertReturning() && m.singleKey() != null && !ins.fields().containsAll(m.key());
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
        KeyLists.in(b, d, quoted(m.key()), m.key(), u.keys(), u.keys().size());
        return b.build();
    }

    public Fragment delete(Delete del) {
        requireKeys(del.keys(), "DELETE");
        SqlBuilder b = new SqlBuilder();
        b.append("DELETE FROM ").append(d.quote(del.table())).append(" WHERE ");
        KeyLists.in(b, d, del.columns().stream().map(d::quote).toList(), del.keyFields(), del.keys(), del.keys().size());
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
        b.append(")");
        List<Fragment> updates = new java.util.ArrayList<>();
        for (Map.Entry<Field, Object> e : u.update().entrySet()) {
            updates.add(Fragment.concat(d.quote(e.getKey().column()) + " = ", Fragment.param(d.toJdbc(e.getKey(), e.getValue()))));
        }
        return b.append(d.upsertClause(quoted(u.conflict()), updates)).build();
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
        List<String> conflict = quoted(u.conflict());
        b.append(") ON ").append(KeyLists.equal(conflict.stream().map(c -> target + "." + c).toList(),
                conflict.stream().map(c -> source + "." + c).toList()));
        b.append(" WHEN MATCHED THEN UPDATE SET ");
        if (u.update().isEmpty()) {
            b.append(conflict.get(0)).append(" = ").append(source).append('.' + conflict.get(0));
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

    /**
     * Rows of the join table linking owner keys ({@code keyColumns}, typed by {@code keyFields}) to
     * target keys ({@code otherColumns}, {@code otherFields}); each pair is {owner key, target key}.
     */
    public Fragment link(String table, List<String> keyColumns, List<Field> keyFields, List<String> otherColumns,
                         List<Field> otherFields, List<Object[]> pairs) {
        SqlBuilder b = new SqlBuilder();
        b.append("INSERT INTO ").append(d.quote(table)).append(" (");
        List<String> columns = new java.util.ArrayList<>(keyColumns);
        columns.addAll(otherColumns);
        b.append(String.join(", ", columns.stream().map(d::quote).toList())).append(") VALUES ");
        for (int i = 0; i < pairs.size(); i++) {
            b.append(i > 0 ? ", (" : "(");
            bindParts(b, keyFields, pairs.get(i)[0], false);
            bindParts(b, otherFields, pairs.get(i)[1], true);
            b.append(")");
        }
        return b.build();
    }

    private void bindParts(SqlBuilder b, List<Field> fields, Object key, boolean more) {
        List<Object> parts = dev.modelgate.model.Keys.parts(key, fields.size());
        for (int j = 0; j < fields.size(); j++) {
            b.append(more || j > 0 ? ", " : "").bind(d.toJdbc(fields.get(j), parts.get(j)));
        }
    }

    /** Removes the links of the owner {@code key} to the targets {@code others} from a join table. */
    public Fragment unlink(String table, List<String> keyColumns, List<Field> keyFields, Object key, List<String> otherColumns,
                           List<Field> otherFields, List<Object> others) {
        requireKeys(others, "DELETE");
        SqlBuilder b = new SqlBuilder();
        b.append("DELETE FROM ").append(d.quote(table)).append(" WHERE ");
        List<Object> parts = dev.modelgate.model.Keys.parts(key, keyFields.size());
        for (int j = 0; j < keyFields.size(); j++) {
            b.append(d.quote(keyColumns.get(j))).append(" = ").bind(d.toJdbc(keyFields.get(j), parts.get(j))).append(" AND ");
        }
        KeyLists.in(b, d, otherColumns.stream().map(d::quote).toList(), otherFields, others, others.size());
        return b.build();
    }

    private List<String> quoted(List<Field> fields) {
        return fields.stream().map(f -> d.quote(f.column())).toList();
    }

    private static void requireKeys(List<Object> keys, String what) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("refusing to render " + what + " without a WHERE");
        }
    }
}
