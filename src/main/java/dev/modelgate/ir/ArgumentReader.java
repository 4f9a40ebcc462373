package dev.modelgate.ir;

import dev.modelgate.error.GatewayException;
import dev.modelgate.model.AggregateFn;
import dev.modelgate.model.Field;
import dev.modelgate.model.FilterOp;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Relation;
import dev.modelgate.model.RelationKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns coerced GraphQL argument values ({@code where}, {@code orderBy}, {@code limit},
 * {@code offset}) into IR, refusing what the contract calls bad input: an operator or
 * filter given as null, a filter with no operator, an orderBy element that does not set
 * exactly one field, a negative limit or offset.
 */
public final class ArgumentReader {
    private final Models models;

    public ArgumentReader(Models models) {
        this.models = models;
    }

    /**
     * A {@code <Model>Where} value as {@code access} sees it: a filter through a relationship
     * only matches related rows the role may read (null: every row).
     */
    @SuppressWarnings("unchecked")
    public BoolExp where(Model m, Object where, Access access) {
        if (where == null) {
            return BoolExp.TRUE;
        }
        return whereObject(m, (Map<String, Object>) where, m.name() + "Where", access);
    }

    @SuppressWarnings("unchecked")
    private BoolExp whereObject(Model m, Map<String, Object> where, String path, Access access) {
        List<BoolExp> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : where.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            String at = path + "." + key;
            if (value == null) {
                throw GatewayException.badInput(at + " is null; leave it out, or use {isNull: true} to match NULLs");
            }
            switch (key) {
                case "and" -> parts.add(BoolExp.and(list(m, (List<Object>) value, at, access)));
                case "or" -> parts.add(new BoolExp.Or(list(m, (List<Object>) value, at, access)));
                case "not" -> parts.add(new BoolExp.Not(whereObject(m, (Map<String, Object>) value, at, access)));
                default -> {
                    var field = m.field(key);
                    if (field.isPresent()) {
                        parts.add(filter(field.get(), (Map<String, Object>) value, at));
                    } else {
                        Relation r = m.relation(key).orElseThrow(() -> GatewayException.badInput(at + " is not a field"));
                        Model target = models.target(r);
                        BoolExp inner = whereObject(target, (Map<String, Object>) value, at, access);
                        parts.add(new BoolExp.Related(r, access == null ? inner : BoolExp.and(inner, access.readOrNothing(target))));
                    }
                }
            }
        }
        return BoolExp.and(parts);
    }

    @SuppressWarnings("unchecked")
    private List<BoolExp> list(Model m, List<Object> items, String path, Access access) {
        List<BoolExp> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(whereObject(m, (Map<String, Object>) items.get(i), path + "[" + i + "]", access));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private BoolExp filter(Field f, Map<String, Object> filter, String path) {
        if (filter.isEmpty()) {
            throw GatewayException.badInput(path + " has no operator (was a variable left out?)");
        }
        List<BoolExp> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : filter.entrySet()) {
            String op = e.getKey();
            Object v = e.getValue();
            if (v == null) {
                throw GatewayException.badInput(path + "." + op + " is null; use isNull to match NULLs");
            }
            FilterOp o = FilterOp.byName(op).filter(x -> x.appliesTo(f.type()))
                    .orElseThrow(() -> GatewayException.badInput(path + "." + op + " is not an operator of " + f.graphqlType() + " fields"));
            parts.add(switch (o) {
                case IS_NULL -> new BoolExp.IsNull(f, (Boolean) v);
                case IN, NOT_IN -> new BoolExp.In(f, (List<Object>) v, o == FilterOp.NOT_IN);
                default -> new BoolExp.Compare(f, o, v);
            });
        }
        return BoolExp.and(parts);
    }

    /** A {@code [<Model>OrderBy!]} value; each element sets exactly one field. */
    @SuppressWarnings("unchecked")
    public List<OrderTerm> orderBy(Model m, Object orderBy) {
        List<OrderTerm> out = new ArrayList<>();
        if (orderBy == null) {
            return out;
        }
        List<Object> items = orderBy instanceof List<?> l ? (List<Object>) l : List.of(orderBy);
        for (int i = 0; i < items.size(); i++) {
            out.add(orderTerm(m, (Map<String, Object>) items.get(i), new ArrayList<>(), "orderBy[" + i + "]"));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private OrderTerm orderTerm(Model m, Map<String, Object> item, List<Relation> path, String at) {
        if (item.size() != 1) {
            throw GatewayException.badInput(at + " must set exactly one field, it sets " + item.size()
                    + "; use one list element per field");
        }
        Map.Entry<String, Object> e = item.entrySet().iterator().next();
        if (e.getValue() == null) {
            throw GatewayException.badInput(at + "." + e.getKey() + " is null");
        }
        var field = m.field(e.getKey());
        if (field.isPresent()) {
            return new OrderTerm(path, field.get(), SortOrder.valueOf(e.getValue().toString()));
        }
        Relation r = m.relation(e.getKey()).orElseThrow(() -> GatewayException.badInput(at + "." + e.getKey() + " is not a field"));
        if (r.kind() != RelationKind.BELONGS_TO && r.kind() != RelationKind.HAS_ONE) {
            throw GatewayException.badInput(at + "." + e.getKey() + ": only to-one relations can be ordered by");
        }
        path.add(r);
        return orderTerm(models.target(r), (Map<String, Object>) e.getValue(), path, at + "." + e.getKey());
    }

    /** A {@code limit} or {@code offset}: null, or a whole number ≥ 0. */
    public Long nonNegative(String name, Object value) {
        if (value == null) {
            return null;
        }
        long v = ((Number) value).longValue();
        if (v < 0) {
            throw GatewayException.badInput(name + " must be 0 or more, got " + v);
        }
        return v;
    }

    // ---- grouping ----

    /** A {@code <Model>Having} value: filters on a group's aggregates, with and/or/not (null: every group). */
    @SuppressWarnings("unchecked")
    public BoolExp having(Model m, Object having) {
        return having == null ? BoolExp.TRUE : havingObject(m, (Map<String, Object>) having, "having");
    }

    @SuppressWarnings("unchecked")
    private BoolExp havingObject(Model m, Map<String, Object> having, String path) {
        List<BoolExp> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : having.entrySet()) {
            String key = e.getKey();
            String at = path + "." + key;
            if (e.getValue() == null) {
                throw GatewayException.badInput(at + " is null; leave it out");
            }
            switch (key) {
                case "and", "or" -> {
                    List<Object> items = (List<Object>) e.getValue();
                    List<BoolExp> each = new ArrayList<>();
                    for (int i = 0; i < items.size(); i++) {
                        each.add(havingObject(m, (Map<String, Object>) items.get(i), at + "[" + i + "]"));
                    }
                    parts.add(key.equals("and") ? BoolExp.and(each) : new BoolExp.Or(each));
                }
                case "not" -> parts.add(new BoolExp.Not(havingObject(m, (Map<String, Object>) e.getValue(), at)));
                case "count" -> parts.add(aggregateFilter(new Aggregate.Term(AggregateFn.COUNT, null), (Map<String, Object>) e.getValue(), at));
                default -> {
                    AggregateFn fn = AggregateFn.byName(key).orElseThrow(() -> GatewayException.badInput(at + " is not an aggregate"));
                    for (Map.Entry<String, Object> f : ((Map<String, Object>) e.getValue()).entrySet()) {
                        Field field = m.field(f.getKey()).orElseThrow(() -> GatewayException.badInput(at + "." + f.getKey() + " is not a field"));
                        if (f.getValue() == null) {
                            throw GatewayException.badInput(at + "." + f.getKey() + " is null; leave it out");
                        }
                        parts.add(aggregateFilter(new Aggregate.Term(fn, field), (Map<String, Object>) f.getValue(), at + "." + f.getKey()));
                    }
                }
            }
        }
        return BoolExp.and(parts);
    }

    @SuppressWarnings("unchecked")
    private BoolExp aggregateFilter(Aggregate.Term term, Map<String, Object> filter, String path) {
        if (filter.isEmpty()) {
            throw GatewayException.badInput(path + " has no operator (was a variable left out?)");
        }
        List<BoolExp> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : filter.entrySet()) {
            if (e.getValue() == null) {
                throw GatewayException.badInput(path + "." + e.getKey() + " is null; use isNull to match groups with no value");
            }
            FilterOp o = FilterOp.byName(e.getKey()).filter(x -> x.appliesTo(term.resultType()))
                    .orElseThrow(() -> GatewayException.badInput(path + "." + e.getKey() + " is not an operator of " + term.resultType().graphqlName() + " values"));
            parts.add(new BoolExp.AggregateCompare(term, o, e.getValue()));
        }
        return BoolExp.and(parts);
    }

    /** A {@code [<Model>GroupOrderBy!]} value: each element one key field (one of {@code by}) or one aggregate. */
    @SuppressWarnings("unchecked")
    public List<Group.Order> groupOrder(Model m, Object orderBy, List<Group.Key> by) {
        List<Group.Order> out = new ArrayList<>();
        if (orderBy == null) {
            return out;
        }
        List<Object> items = orderBy instanceof List<?> l ? (List<Object>) l : List.of(orderBy);
        for (int i = 0; i < items.size(); i++) {
            String at = "orderBy[" + i + "]";
            Map.Entry<String, Object> e = one((Map<String, Object>) items.get(i), at, "one key field or aggregate");
            if (e.getKey().equals("count")) {
                out.add(new Group.Order(null, new Aggregate.Term(AggregateFn.COUNT, null), SortOrder.valueOf(e.getValue().toString())));
                continue;
            }
            Map.Entry<String, Object> f = one((Map<String, Object>) e.getValue(), at + "." + e.getKey(), "one field");
            Field field = m.field(f.getKey()).orElseThrow(() -> GatewayException.badInput(at + "." + e.getKey() + "." + f.getKey() + " is not a field"));
            SortOrder order = SortOrder.valueOf(f.getValue().toString());
            if (e.getKey().equals("key")) {
                Group.Key key = by.stream().filter(k -> k.field().equals(field)).findFirst().orElseThrow(() -> GatewayException.badInput(
                        at + ".key." + field.name() + ": " + field.name() + " is not in by; order by a field the groups are made by, or add it to by"));
                out.add(new Group.Order(key, null, order));
            } else {
                AggregateFn fn = AggregateFn.byName(e.getKey()).orElseThrow(() -> GatewayException.badInput(at + "." + e.getKey() + " is not an aggregate"));
                out.add(new Group.Order(null, new Aggregate.Term(fn, field), order));
            }
        }
        return out;
    }

    /** The one entry of an input object that must set exactly one, or BAD_USER_INPUT. */
    private static Map.Entry<String, Object> one(Map<String, Object> item, String at, String what) {
        if (item.size() != 1) {
            throw GatewayException.badInput(at + " must set exactly " + what + ", it sets " + item.size() + "; use one list element per entry");
        }
        Map.Entry<String, Object> e = item.entrySet().iterator().next();
        if (e.getValue() == null) {
            throw GatewayException.badInput(at + "." + e.getKey() + " is null");
        }
        return e;
    }
}
