package dev.modelgate.ir;

import dev.modelgate.error.GatewayException;
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
}
