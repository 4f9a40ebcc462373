package dev.modelgate.sql;

import dev.modelgate.ir.Aggregate;
import dev.modelgate.ir.BoolExp;
import dev.modelgate.ir.Group;
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
        List<Field> ordered = new ArrayList<>();
        for (OrderTerm term : s.orderBy()) {
            String alias = joinPath(joins, m, t, term.path());
            order.add(d.orderItem(col(alias, term.field()), term.order(), nullable(term)));
            if (term.path().isEmpty()) {
                ordered.add(term.field());
            }
        }
        for (Field k : m.key()) {   // the key breaks ties, each of its fields once; a keyless view has none
            if (!ordered.contains(k)) {
                order.add(d.orderItem(col(t, k), SortOrder.ASC, false));
            }
        }
        String orderBy = String.join(", ", order);

        StringJoiner cols = new StringJoiner(", ");
        for (Field f : s.columns()) {
            cols.add((f.spatial() ? d.geoJson(col(t, f), f) : col(t, f)) + " AS " + d.quote(f.name()));
        }
        Partition p = s.partition();
        List<String> keyExprs = p == null ? null : keyExprs(p.relation(), t);
        if (p != null) {
            List<String> aliases = keyAliases(keyExprs.size());
            for (int i = 0; i < keyExprs.size(); i++) {
                cols.add(keyExprs.get(i) + " AS " + d.quote(aliases.get(i)));
            }
        }
        boolean windowed = p != null && (s.limit() != null || s.offset() != null);
        if (windowed) {
            b.append("SELECT * FROM (SELECT ").append(cols.toString())
                    .append(", ROW_NUMBER() OVER (PARTITION BY ").append(String.join(", ", keyExprs))
                    .append(order.isEmpty() ? "" : " ORDER BY " + orderBy).append(") AS ").append(d.quote("__rn"));
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
            if (!order.isEmpty()) {
                b.append(" ORDER BY ").append(orderBy);
            }
            if (s.limit() != null || s.offset() != null) {
                b.append(d.paging(s.limit(), s.offset()));
            }
        } else if (p.relation().toMany()) {
            // the parent key first: the rows of each parent stay in order, and an index on the key
            // column (every foreign key has one) reads them in that order, without a sort
            b.append(" ORDER BY ").append(String.join(" ASC, ", keyExprs)).append(" ASC").append(order.isEmpty() ? "" : ", " + orderBy);
        }
        // a to-one batch needs no order: its rows are matched to their parents by key
        return b.build();
    }

    /** The column aliases of a partitioned select's parent key: {@value #KEY}, or {@value #KEY}0, {@value #KEY}1, … for several fields. */
    public static List<String> keyAliases(int n) {
        if (n == 1) {
            return List.of(KEY);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(KEY + i);
        }
        return out;
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
        List<String> keyExprs = p == null ? null : keyExprs(p.relation(), t);
        if (p != null) {
            List<String> aliases = keyAliases(keyExprs.size());
            for (int i = 0; i < keyExprs.size(); i++) {
                cols.add(keyExprs.get(i) + " AS " + d.quote(aliases.get(i)));
            }
        }
        int i = 0;
        for (Aggregate.Term term : a.terms()) {
            cols.add(where.aggregateExpr(term, t) + " AS " + d.quote(aggregateAlias(i++)));
        }
        b.append("SELECT ").append(cols.toString());
        from(b, m, t, p, Map.of(), a.where());
        if (p != null) {
            b.append(" GROUP BY ").append(String.join(", ", keyExprs));
        }
        return b.build();
    }

    /**
     * Groups ({@link Group}): one {@code SELECT … GROUP BY … HAVING …}. Each group's key values
     * come as {@code g0, g1, …} and its aggregates as {@code a0, a1, …}; a partitioned grouping
     * also returns the parent key, groups per parent paged by a window as a relationship's rows are.
     * Expressions carry no parameter, so GROUP BY, ORDER BY and the selected columns repeat them verbatim.
     */
    public Fragment group(Group g) {
        SqlBuilder b = new SqlBuilder();
        Model m = g.model();
        String t = "t0";
        StringJoiner cols = new StringJoiner(", ");
        Partition p = g.partition();
        List<String> keyExprs = p == null ? List.of() : keyExprs(p.relation(), t);
        List<String> aliases = keyAliases(keyExprs.size());
        for (int i = 0; i < keyExprs.size(); i++) {
            cols.add(keyExprs.get(i) + " AS " + d.quote(aliases.get(i)));
        }
        List<String> byExprs = new ArrayList<>();
        for (Group.Key k : g.by()) {
            String e = groupKey(k, t);
            cols.add(e + " AS " + d.quote(groupKeyAlias(byExprs.size())));
            byExprs.add(e);
        }
        for (int i = 0; i < g.terms().size(); i++) {
            cols.add(where.aggregateExpr(g.terms().get(i), t) + " AS " + d.quote(aggregateAlias(i)));
        }
        List<String> order = new ArrayList<>();
        List<Group.Key> ordered = new ArrayList<>();
        for (Group.Order o : g.orderBy()) {
            if (o.key() != null) {
                order.add(d.orderItem(groupKey(o.key(), t), o.order(), o.key().field().nullable()));
                ordered.add(o.key());
            } else {
                order.add(d.orderItem(where.aggregateExpr(o.term(), t), o.order(), o.term().fn() != dev.modelgate.model.AggregateFn.COUNT));
            }
        }
        for (Group.Key k : g.by()) {   // then the keys, so that every page of groups has one order
            if (!ordered.contains(k)) {
                order.add(d.orderItem(groupKey(k, t), SortOrder.ASC, k.field().nullable()));
            }
        }
        boolean windowed = p != null && (g.limit() != null || g.offset() != null);
        if (windowed) {
            b.append("SELECT * FROM (SELECT ").append(cols.toString()).append(", ROW_NUMBER() OVER (PARTITION BY ")
                    .append(String.join(", ", keyExprs)).append(" ORDER BY ").append(String.join(", ", order)).append(") AS ")
                    .append(d.quote("__rn"));
        } else {
            b.append("SELECT ").append(cols.toString());
        }
        from(b, m, t, p, Map.of(), g.where());
        List<String> grouped = new ArrayList<>(keyExprs);
        grouped.addAll(byExprs);
        b.append(" GROUP BY ").append(String.join(", ", grouped));
        if (!BoolExp.TRUE.equals(g.having())) {
            b.append(" HAVING ");
            where.render(b, g.having(), m, t);
        }
        if (windowed) {
            String rn = "w." + d.quote("__rn");
            long offset = g.offset() == null ? 0 : g.offset();
            b.append(") w WHERE ").append(rn).append(" > ").bind(offset);
            if (g.limit() != null) {
                b.append(" AND ").append(rn).append(" <= ").bind(offset + g.limit());
            }
            b.append(" ORDER BY ").append(rn);
        } else {
            List<String> all = new ArrayList<>(keyExprs);
            all.addAll(order);
            b.append(" ORDER BY ").append(String.join(", ", all));
            if (p == null && (g.limit() != null || g.offset() != null)) {
                b.append(d.paging(g.limit(), g.offset()));
            }
        }
        return b.build();
    }

    /** A group key's SQL: the column, or its truncation. */
    private String groupKey(Group.Key k, String t) {
        String c = col(t, k.field());
        return k.truncation() == null ? c : d.truncate(c, k.field(), k.truncation());
    }

    /** The column alias of the i-th key of a group. */
    public static String groupKeyAlias(int i) {
        return "g" + i;
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
            b.append(" JOIN ").append(d.quote(r.joinTable())).append(" k ON ")
                    .append(KeyLists.equal(columns("k", r.joinOtherKey()), cols(t, m.key())));
        }
        joins.values().forEach(j -> b.append(j.sql()));
        if (p == null) {
            if (!filter.equals(BoolExp.TRUE)) {
                b.append(" WHERE ");
                where.render(b, filter, m, t);
            }
            return;
        }
        b.append(" WHERE ");
        List<Object> keys = p.keys();
        List<Field> keyFields = models.parentKey(p.relation());
        int slots = paddedSize(keys.size(), (d.maxParameters() - 100) / d.keyParameters(keyFields.size()));
        KeyLists.in(b, d, keyExprs(p.relation(), t), keyFields, keys, slots);
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

    /** The SQL expressions of the parent key of each selected row, in key order. */
    private List<String> keyExprs(Relation r, String t) {
        if (r.kind() == RelationKind.MANY_TO_MANY) {
            return columns("k", r.joinKey());
        }
        return cols(t, models.targetKey(r));
    }

    /** LEFT JOINs along a to-one path for ordering; returns the alias of the path's end. */
    private String joinPath(Map<List<Relation>, Join> joins, Model m, String t, List<Relation> path) {
        String alias = t;
        for (int i = 0; i < path.size(); i++) {
            Relation r = path.get(i);
            Model target = models.target(r);
            List<Relation> prefix = List.copyOf(path.subList(0, i + 1));
            String from = alias;
            alias = joins.computeIfAbsent(prefix, k -> {
                String j = "j" + (joins.size() + 1);
                String on = KeyLists.equal(cols(j, models.targetKey(r)), cols(from, models.parentKey(r)));
                return new Join(j, " LEFT JOIN " + d.quote(target.table()) + " " + j + " ON " + on);
            }).alias();
        }
        return alias;
    }

    private List<String> cols(String alias, List<Field> fields) {
        return fields.stream().map(f -> col(alias, f)).toList();
    }

    private List<String> columns(String alias, List<String> names) {
        return names.stream().map(n -> alias + "." + d.quote(n)).toList();
    }

    private String col(String alias, Field f) {
        return alias + "." + d.quote(f.column());
    }
}
