package dev.modelgate.sql;

import dev.modelgate.ir.Aggregate;
import dev.modelgate.ir.BoolExp;
import dev.modelgate.ir.OrderTerm;
import dev.modelgate.ir.Partition;
import dev.modelgate.ir.Select;
import dev.modelgate.ir.SortOrder;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Relation;
import dev.modelgate.model.RelationKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Renders read IR ({@link Select}, {@link Aggregate}) to SQL. Identifiers come only from the
 * models and are quoted by the dialect; every value is a bound parameter. Each selected
 * column is aliased by its field name; a partitioned select also returns the parent key as
 * {@value #KEY}.
 */
public final class SelectRenderer {
    /** The column holding the parent key of a partitioned (relationship) select. */
    public static final String KEY = "__k";

    private final Models models;
    private final Dialect d;
    private final WhereRenderer where;

    public SelectRenderer(Models models, Dialect dialect) {
        this.models = models;
        this.d = dialect;
        this.where = new WhereRenderer(models, dialect);
    }

    public Fragment select(Select s) {
        SqlBuilder b = new SqlBuilder();
        Model m = s.model();
        String t = "t0";
        Map<List<Relation>, Join> joins = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        boolean byKey = false;
        for (OrderTerm term : s.orderBy()) {
            String alias = joinPath(joins, m, t, term.path());
            order.add(d.orderItem(col(alias, term.field()), term.order(), nullable(term)));
            byKey |= term.path().isEmpty() && term.field().equals(m.id());
        }
        if (!byKey) {
            order.add(d.orderItem(col(t, m.id()), SortOrder.ASC, false));   // the key breaks ties, once
        }
        String orderBy = String.join(", ", order);

        StringJoiner cols = new StringJoiner(", ");
        for (Field f : s.columns()) {
            cols.add(col(t, f) + " AS " + d.quote(f.name()));
        }
        Partition p = s.partition();
        String keyExpr = p == null ? null : keyExpr(p.relation(), t);
        if (p != null) {
            cols.add(keyExpr + " AS " + d.quote(KEY));
        }
        boolean windowed = p != null && (s.limit() != null || s.offset() != null);
        if (windowed) {
            b.append("SELECT * FROM (SELECT ").append(cols.toString())
                    .append(", ROW_NUMBER() OVER (PARTITION BY ").append(keyExpr).append(" ORDER BY ").append(orderBy)
                    .append(") AS ").append(d.quote("__rn"));
        } else {
            b.append("SELECT ").append(cols.toString());
        }
        from(b, m, t, p, joins, s.where());
        if (windowed) {
            String rn = "w." + d.quote("__rn");
            long offset = s.offset() == null ? 0 : s.offset();
            b.append(") w WHERE ").append(rn).append(" > ").bind(offset);
            if (s.limit() != null) {
                b.append(" AND ").append(rn).append(" <= ").bind(offset + s.limit());
            }
            b.append(" ORDER BY ").append(rn);
        } else if (p == null) {
            b.append(" ORDER BY ").append(orderBy);
            if (s.limit() != null || s.offset() != null) {
                b.append(d.paging(s.limit(), s.offset()));
            }
        } else if (p.relation().toMany()) {
            // the parent key first: the rows of each parent stay in order, and an index on the key
            // column (every foreign key has one) reads them in that order, without a sort
            b.append(" ORDER BY ").append(keyExpr).append(" ASC, ").append(orderBy);
        }
        // a to-one batch needs no order: its rows are matched to their parents by key
        return b.build();
    }

    /** Whether an order term's value can be NULL: a nullable column, or one reached through a relation that may have no row. */
    private static boolean nullable(OrderTerm term) {
        return term.field().nullable()
                || term.path().stream().anyMatch(r -> r.kind() != RelationKind.BELONGS_TO || r.nullable());
    }

    public Fragment aggregate(Aggregate a) {
        SqlBuilder b = new SqlBuilder();
        Model m = a.model();
        String t = "t0";
        StringJoiner cols = new StringJoiner(", ");
        Partition p = a.partition();
        String keyExpr = p == null ? null : keyExpr(p.relation(), t);
        if (p != null) {
            cols.add(keyExpr + " AS " + d.quote(KEY));
        }
        int i = 0;
        for (Aggregate.Term term : a.terms()) {
            String expr = term.field() == null ? "*" : col(t, term.field());
            cols.add(d.aggregate(term.fn(), expr) + " AS " + d.quote(aggregateAlias(i++)));
        }
        b.append("SELECT ").append(cols.toString());
        from(b, m, t, p, Map.of(), a.where());
        if (p != null) {
            b.append(" GROUP BY ").append(keyExpr);
        }
        return b.build();
    }

    /** The column alias of the i-th term of an aggregate. */
    public static String aggregateAlias(int i) {
        return "a" + i;
    }

    /** A LEFT JOIN for ordering by a to-one relation's field. */
    private record Join(String alias, String sql) {
    }

    private void from(SqlBuilder b, Model m, String t, Partition p, Map<List<Relation>, Join> joins, BoolExp filter) {
        b.append(" FROM ").append(d.quote(m.table())).append(" ").append(t);
        if (p != null && p.relation().kind() == RelationKind.MANY_TO_MANY) {
            Relation r = p.relation();
            b.append(" JOIN ").append(d.quote(r.joinTable())).append(" k ON k.").append(d.quote(r.joinOtherKey()))
                    .append(" = ").append(col(t, m.id()));
        }
        joins.values().forEach(j -> b.append(j.sql()));
        List<BoolExp> conditions = new ArrayList<>();
        if (p != null) {
            conditions.add(new BoolExp.In(models.parentKey(p.relation()), p.keys(), false));
        }
        conditions.add(filter);
        BoolExp all = BoolExp.and(conditions);
        if (all.equals(BoolExp.TRUE)) {
            return;
        }
        b.append(" WHERE ");
        if (p == null) {
            where.render(b, all, m, t);
            return;
        }
        b.append(keyExpr(p.relation(), t)).append(" IN (");
        Field keyField = models.parentKey(p.relation());
        List<Object> keys = p.keys();
        int slots = paddedSize(keys.size(), d.maxParameters() - 100);
        for (int i = 0; i < slots; i++) {
            b.append(i > 0 ? ", " : "").bind(d.toJdbc(keyField, keys.get(Math.min(i, keys.size() - 1))));
        }
        b.append(")");
        if (!BoolExp.TRUE.equals(filter)) {
            b.append(" AND ");
            where.render(b, filter, m, t);
        }
    }

    /**
     * How many slots an IN list of {@code n} keys gets: the next power of two (the last key repeats
     * in the extra slots), so that batches of any size share a few statement texts and a server's
     * prepared-statement cache hits. No padding past {@code cap} parameters.
     */
    static int paddedSize(int n, int cap) {
        int slots = n <= 1 ? n : Integer.highestOneBit(n - 1) << 1;
        return slots <= cap ? slots : n;
    }

    /** The SQL expression of the parent key of each selected row. */
    private String keyExpr(Relation r, String t) {
        if (r.kind() == RelationKind.MANY_TO_MANY) {
            return "k." + d.quote(r.joinKey());
        }
        return col(t, models.targetKey(r));
    }

    /** LEFT JOINs along a to-one path for ordering; returns the alias of the path's end. */
    private String joinPath(Map<List<Relation>, Join> joins, Model m, String t, List<Relation> path) {
        String alias = t;
        Model at = m;
        for (int i = 0; i < path.size(); i++) {
            Relation r = path.get(i);
            Model target = models.target(r);
            List<Relation> prefix = List.copyOf(path.subList(0, i + 1));
            String from = alias;
            Model fromModel = at;
            alias = joins.computeIfAbsent(prefix, k -> {
                String j = "j" + (joins.size() + 1);
                String on = r.kind() == RelationKind.BELONGS_TO
                        ? col(j, target.id()) + " = " + col(from, fromModel.requireField(r.key()))
                        : col(j, target.requireField(r.key())) + " = " + col(from, fromModel.id());
                return new Join(j, " LEFT JOIN " + d.quote(target.table()) + " " + j + " ON " + on);
            }).alias();
            at = target;
        }
        return alias;
    }

    private String col(String alias, Field f) {
        return alias + "." + d.quote(f.column());
    }
}
