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
        select(b, s, -1);
        return b.build();
    }

    /** The column tagging each row of a union with the index of its member ({@link #union}). */
    public static final String SET = "__set";
    /** The column numbering a member's rows in its own order (per parent when partitioned). */
    public static final String ROW = "__rn";

    /**
     * One member of a {@link #union}: {@code s}'s rows tagged {@value #SET} = {@code set} and
     * numbered {@value #ROW} in their order, per parent when partitioned. A root member keeps its
     * own ORDER BY and LIMIT inside (an index still serves its page) and is numbered over the page;
     * a partitioned one is numbered by a window, as a relationship with a limit always is.
     */
    public Fragment member(Select s, int set) {
        SqlBuilder b = new SqlBuilder();
        select(b, s, set);
        return b.build();
    }

    /**
     * Selects of one shape with different arguments (a live query's variable sets) as one
     * statement: the {@link #member members} joined by UNION ALL, ordered by member, parent key
     * and each member's own order.
     */
    public Fragment union(List<Fragment> members, int parentKeyFields) {
        SqlBuilder b = new SqlBuilder();
        b.append("SELECT * FROM (").append(Fragment.join(" UNION ALL ", members)).append(") u ORDER BY u.").append(d.quote(SET));
        for (String k : parentKeyFields == 0 ? List.<String>of() : keyAliases(parentKeyFields)) {
            b.append(", u.").append(d.quote(k));
        }
        return b.append(", u.").append(d.quote(ROW)).build();
    }

    /** A select, or ({@code set} ≥ 0) a union's member. */
    private void select(SqlBuilder b, Select s, int set) {
        boolean member = set >= 0;
        Model m = s.model();
        String t = "t0";
        Map<List<Relation>, Join> joins = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        List<String> orderExprs = new ArrayList<>();
        List<String> outerOrder = new ArrayList<>();   // a root member's order over its page's columns
        List<Field> ordered = new ArrayList<>();
        for (OrderTerm term : s.orderBy()) {
            String alias = joinPath(joins, m, t, term.path());
            String expr = col(alias, term.field());
            order.add(d.orderItem(expr, term.order(), nullable(term)));
            if (member) {
                orderExprs.add(expr);
                outerOrder.add(d.orderItem("q." + d.quote("__o" + (outerOrder.size())), term.order(), nullable(term)));
            }
            if (term.path().isEmpty()) {
                ordered.add(term.field());
            }
        }
        for (Field k : m.key()) {   // the key breaks ties, each of its fields once; a keyless view has none
            if (!ordered.contains(k)) {
                order.add(d.orderItem(col(t, k), SortOrder.ASC, false));
                if (member) {
                    orderExprs.add(col(t, k));
                    outerOrder.add(d.orderItem("q." + d.quote("__o" + (outerOrder.size())), SortOrder.ASC, false));
                }
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
            if (member) {
                cols.add(set + " AS " + d.quote(SET));
            }
        } else if (member) {   // SELECT set, ROW_NUMBER() OVER (its order), its columns FROM (the page, with its order's values) q
            StringJoiner outer = new StringJoiner(", ");
            s.columns().forEach(f -> outer.add("q." + d.quote(f.name())));
            b.append("SELECT ").append(set + " AS " + d.quote(SET)).append(", ROW_NUMBER() OVER (")
                    .append(outerOrder.isEmpty() ? "" : "ORDER BY " + String.join(", ", outerOrder)).append(") AS ").append(d.quote(ROW))
                    .append(", ").append(outer.toString()).append(" FROM (");
            for (int i = 0; i < orderExprs.size(); i++) {
                cols.add(orderExprs.get(i) + " AS " + d.quote("__o" + i));
            }
        }
        boolean windowed = p != null && (member || s.limit() != null || s.offset() != null);
        if (windowed) {
            b.append("SELECT * FROM (SELECT ").append(cols.toString())
                    .append(", ROW_NUMBER() OVER (PARTITION BY ").append(String.join(", ", keyExprs))
                    .append(order.isEmpty() ? "" : " ORDER BY " + orderBy).append(") AS ").append(d.quote(ROW));
        } else {
            b.append("SELECT ").append(cols.toString());
        }
        from(b, m, t, p, joins, s.where());
        if (windowed) {
            String rn = "w." + d.quote(ROW);
            long offset = s.offset() == null ? 0 : s.offset();
            b.append(") w WHERE ").append(rn).append(" > ").bind(offset);
            if (s.limit() != null) {
                b.append(" AND ").append(rn).append(" <= ").bind(offset + s.limit());
            }
            if (!member) {   // a union orders its members' rows itself
                b.append(" ORDER BY ").append(rn);
            }
        } else if (p == null) {
            if (!order.isEmpty()) {
                b.append(" ORDER BY ").append(orderBy);
            }
            if (s.limit() != null || s.offset() != null) {
                b.append(d.paging(s.limit(), s.offset()));
            }
            if (member) {
                b.append(") q");
            }
        } else if (p.relation().toMany()) {
            // the parent key first: the rows of each parent stay in order, and an index on the key
            // column (every foreign key has one) reads them in that order, without a sort
            b.append(" ORDER BY ").append(String.join(" ASC, ", keyExprs)).append(" ASC").append(order.isEmpty() ? "" : ", " + orderBy);
        }
        // a to-one batch needs no order: its rows are matched to their parents by key
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
        group(b, g, -1);
        return b.build();
    }

    /** A grouping as a {@link #union}'s member: its groups tagged {@value #SET} and numbered {@value #ROW} (per parent) by a window. */
    public Fragment groupMember(Group g, int set) {
        SqlBuilder b = new SqlBuilder();
        group(b, g, set);
        return b.build();
    }

    /** An aggregate as a member of a union without order: its row (per parent) tagged {@value #SET}. */
    public Fragment aggregateMember(Aggregate a, int set) {
        return Fragment.concat("SELECT " + set + " AS " + d.quote(SET) + ", a.* FROM (", aggregate(a), ") a");
    }

    /** Aggregates of one shape as one statement: the members joined by UNION ALL, in no order. */
    public Fragment aggregateUnion(List<Fragment> members) {
        return Fragment.join(" UNION ALL ", members);
    }

    private void group(SqlBuilder b, Group g, int set) {
        boolean member = set >= 0;
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
        if (member) {
            cols.add(set + " AS " + d.quote(SET));
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
        boolean windowed = member || p != null && (g.limit() != null || g.offset() != null);
        if (windowed) {
            b.append("SELECT * FROM (SELECT ").append(cols.toString()).append(", ROW_NUMBER() OVER (")
                    .append(keyExprs.isEmpty() ? "" : "PARTITION BY " + String.join(", ", keyExprs) + " ")
                    .append("ORDER BY ").append(String.join(", ", order)).append(") AS ").append(d.quote(ROW));
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
            String rn = "w." + d.quote(ROW);
            long offset = g.offset() == null ? 0 : g.offset();
            b.append(") w WHERE ").append(rn).append(" > ").bind(offset);
            if (g.limit() != null) {
                b.append(" AND ").append(rn).append(" <= ").bind(offset + g.limit());
            }
            if (!member) {
                b.append(" ORDER BY ").append(rn);
            }
        } else {
            List<String> all = new ArrayList<>(keyExprs);
            all.addAll(order);
            b.append(" ORDER BY ").append(String.join(", ", all));
            if (p == null && (g.limit() != null || g.offset() != null)) {
                b.append(d.paging(g.limit(), g.offset()));
            }
        }
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
