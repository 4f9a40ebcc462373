package dev.modelgate.sql;

import dev.modelgate.ir.BoolExp;
import dev.modelgate.model.Field;
import dev.modelgate.model.FilterOp;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Relation;
import dev.modelgate.model.RelationKind;

import java.util.List;

/** Renders a {@link BoolExp} over a model whose table has alias {@code t}. */
final class WhereRenderer {
    private final Models models;
    private final Dialect d;

    WhereRenderer(Models models, Dialect dialect) {
        this.models = models;
        this.d = dialect;
    }

    void render(SqlBuilder b, BoolExp e, Model m, String t) {
        if (e instanceof BoolExp.Const c) {
            b.append(c.value() ? "1=1" : "1=0");
        } else if (e instanceof BoolExp.And and) {
            junction(b, and.items(), " AND ", "1=1", m, t);
        } else if (e instanceof BoolExp.Or or) {
            junction(b, or.items(), " OR ", "1=0", m, t);
        } else if (e instanceof BoolExp.Not not) {
            b.append("NOT (");
            render(b, not.item(), m, t);
            b.append(")");
        } else if (e instanceof BoolExp.IsNull n && n.field().zeroDates()) {   // a zero date reads as null, and is found as one
            String col = col(t, n.field());
            b.append(n.isNull() ? "(" + col + " IS NULL OR " + col + " < '0001-01-01')" : "(" + col + " IS NOT NULL AND " + col + " >= '0001-01-01')");
        } else if (e instanceof BoolExp.IsNull n) {
            b.append(col(t, n.field())).append(n.isNull() ? " IS NULL" : " IS NOT NULL");
        } else if (e instanceof BoolExp.In in) {
            withoutZeroDates(b, in.field(), t, () -> in(b, in, t));
        } else if (e instanceof BoolExp.KeyIn k) {
            if (k.keys().isEmpty()) {
                b.append("1=0");
            } else {
                KeyLists.in(b, d, cols(t, k.fields()), k.fields(), k.keys(), k.keys().size());
            }
        } else if (e instanceof BoolExp.Compare c) {
            withoutZeroDates(b, c.field(), t, () -> compare(b, c, t));
        } else if (e instanceof BoolExp.Related r) {
            related(b, r.relation(), r.where(), m, t);
        } else if (e instanceof BoolExp.AggregateCompare a) {
            aggregateCompare(b, a, t);
        } else {
            throw new IllegalStateException("no SQL for the filter " + e);
        }
    }

    /** An aggregate's SQL over the rows of alias {@code t}: {@code COUNT(*)}, {@code SUM(t.x)}, … */
    String aggregateExpr(dev.modelgate.ir.Aggregate.Term term, String t) {
        String expr = term.field() == null ? "*" : col(t, term.field());
        if (term.field() != null && term.field().zeroDates()) {   // a zero date is "no date": left out, as NULL is
            expr = "CASE WHEN " + expr + " >= '0001-01-01' THEN " + expr + " END";
        }
        return d.aggregate(term.fn(), expr);
    }

    /** {@code HAVING} on one aggregate: its value compared, as a column is in a WHERE. */
    private void aggregateCompare(SqlBuilder b, BoolExp.AggregateCompare a, String t) {
        String expr = aggregateExpr(a.term(), t);
        Field f = a.term().field();
        boolean sameType = f != null && a.term().resultType() == f.type();   // min/max: the field's own values
        java.util.function.Function<Object, Object> jdbc = v -> sameType ? d.toJdbc(f, v) : v;
        switch (a.op()) {
            case IS_NULL -> b.append(expr).append(Boolean.TRUE.equals(a.value()) ? " IS NULL" : " IS NOT NULL");
            case IN, NOT_IN -> {
                List<?> values = (List<?>) a.value();
                if (values.isEmpty()) {
                    b.append(a.op() == FilterOp.NOT_IN ? "1=1" : "1=0");
                    return;
                }
                b.append(expr).append(a.op() == FilterOp.NOT_IN ? " NOT IN (" : " IN (");
                for (int i = 0; i < values.size(); i++) {
                    b.append(i > 0 ? ", " : "").bind(jdbc.apply(values.get(i)));
                }
                b.append(")");
            }
            case EQ, NE, GT, GTE, LT, LTE -> b.append(expr).append(operator(a.op())).bind(jdbc.apply(a.value()));
            default -> matches(b, expr, a.op(), a.value().toString());
        }
    }

    /** A comparison never matches a zero date, as it never matches NULL: the zero date is "no date". */
    private void withoutZeroDates(SqlBuilder b, dev.modelgate.model.Field f, String t, Runnable comparison) {
        if (!f.zeroDates()) {
            comparison.run();
            return;
        }
        b.append("(" + col(t, f) + " >= '0001-01-01' AND ");
        comparison.run();
        b.append(")");
    }

    private void junction(SqlBuilder b, List<BoolExp> items, String op, String empty, Model m, String t) {
        if (items.isEmpty()) {
            b.append(empty);
            return;
        }
        b.append("(");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                b.append(op);
            }
            render(b, items.get(i), m, t);
        }
        b.append(")");
    }

    private void in(SqlBuilder b, BoolExp.In in, String t) {
        if (in.values().isEmpty()) {
            b.append(in.negated() ? "1=1" : "1=0");
            return;
        }
        String[] compared = d.compared(in.field(), col(t, in.field()));
        b.append(compared[0]).append(in.negated() ? " NOT IN (" : " IN (");
        for (int i = 0; i < in.values().size(); i++) {
            b.append(i > 0 ? ", " : "").append(compared[1]).bind(d.toJdbc(in.field(), in.values().get(i))).append(compared[2]);
        }
        b.append(")");
    }

    private void compare(SqlBuilder b, BoolExp.Compare c, String t) {
        String col = col(t, c.field());
        switch (c.op()) {
            case EQ, NE, GT, GTE, LT, LTE -> {
                String[] compared = d.compared(c.field(), col);
                b.append(compared[0]).append(operator(c.op())).append(compared[1]).bind(d.toJdbc(c.field(), c.value())).append(compared[2]);
            }
            default -> matches(b, col, c.op(), c.value().toString());
        }
    }

    /** A text operator (LIKE, startsWith, …) on {@code expr}. */
    private void matches(SqlBuilder b, String expr, FilterOp op, String text) {
        switch (op) {
            case LIKE -> like(b, expr, text, false);
            case NOT_LIKE -> {
                b.append("NOT (");
                like(b, expr, text, false);
                b.append(")");
            }
            case ILIKE -> like(b, expr, text, true);
            case STARTS_WITH -> like(b, expr, escapeLike(text) + "%", false);
            case ENDS_WITH -> like(b, expr, "%" + escapeLike(text), false);
            case CONTAINS -> like(b, expr, "%" + escapeLike(text) + "%", false);
            default -> throw new IllegalArgumentException("not a text operator: " + op);
        }
    }

    private void like(SqlBuilder b, String col, String pattern, boolean insensitive) {
        b.append(insensitive ? d.ilike(col, Fragment.param(pattern)) : d.like(col, Fragment.param(pattern)));
    }

    /** Makes {@code %}, {@code _} and the escape character {@code !} match literally. */
    static String escapeLike(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static String operator(FilterOp op) {
        return switch (op) {
            case EQ -> " = ";
            case NE -> " <> ";
            case GT -> " > ";
            case GTE -> " >= ";
            case LT -> " < ";
            case LTE -> " <= ";
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    /** EXISTS over the rows related through {@code r} that match {@code where}. */
    private void related(SqlBuilder b, Relation r, BoolExp where, Model m, String t) {
        Model target = models.target(r);
        String s = b.newAlias("s");
        b.append("EXISTS (SELECT 1 FROM ");
        if (r.kind() == RelationKind.MANY_TO_MANY) {
            String k = s + "k";
            b.append(d.quote(r.joinTable())).append(" ").append(k).append(" JOIN ").append(d.quote(target.table()))
                    .append(" ").append(s).append(" ON ").append(KeyLists.equal(cols(s, target.key()), columns(k, r.joinOtherKey())))
                    .append(" WHERE ").append(KeyLists.equal(columns(k, r.joinKey()), cols(t, m.key())));
        } else {
            b.append(d.quote(target.table())).append(" ").append(s).append(" WHERE ")
                    .append(KeyLists.equal(cols(s, models.targetKey(r)), cols(t, models.parentKey(r))));
        }
        if (!BoolExp.TRUE.equals(where)) {
            b.append(" AND ");
            render(b, where, target, s);
        }
        b.append(")");
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
