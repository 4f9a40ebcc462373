package dev.modelgate.model;

import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.Node;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code @allow(role:, read:, create:, update:, delete:, fields:)} directives. Each
 * filter is checked against the model's {@code Where} shape here, at start, so a typo in a
 * permission stops the gateway with file:line:column instead of failing (or, worse,
 * matching) at request time.
 */
final class AllowParser {
    private static final Set<String> ARGS = Set.of("role", "read", "create", "update", "delete", "fields");

    private final Map<String, Model> models = new HashMap<>();
    private final Map<String, EnumDef> enums = new HashMap<>();
    private final List<Problem> problems;
    /** The directive being read: where a problem in a value that carries no location of its own is reported. */
    private Directive current;

    AllowParser(List<Model> models, List<EnumDef> enums, List<Problem> problems) {
        models.forEach(m -> this.models.put(m.name(), m));
        enums.forEach(e -> this.enums.put(e.name(), e));
        this.problems = problems;
    }

    List<Allow> parse(Map<String, List<Directive>> byModel) {
        List<Allow> out = new ArrayList<>();
        byModel.forEach((name, directives) -> {
            Model m = models.get(name);
            Set<String> roles = new HashSet<>();
            for (Directive d : directives) {
                Allow a = allow(m, d);
                if (a == null) {
                    continue;
                }
                if (!roles.add(a.role())) {
                    problem(d, name + ": @allow for role \"" + a.role() + "\" is given twice; give one per role");
                } else {
                    out.add(a);
                }
            }
        });
        return out;
    }

    private Allow allow(Model m, Directive d) {
        current = d;
        String where = m.name() + ": @allow";
        Map<String, Value<?>> args = new LinkedHashMap<>();
        for (var a : d.getArguments()) {
            if (!ARGS.contains(a.getName())) {
                problem(a, where + " has no argument " + a.getName() + " (it takes role, read, create, update, delete, fields)");
            } else {
                args.put(a.getName(), a.getValue());
            }
        }
        if (!(args.get("role") instanceof StringValue role) || role.getValue().isBlank()) {
            problem(d, where + " needs role: \"...\"");
            return null;
        }
        where = m.name() + ": @allow(role: \"" + role.getValue() + "\")";
        int before = problems.size();
        Map<String, Object> read = filter(m, args.get("read"), where + " read");
        Map<String, Object> create = filter(m, args.get("create"), where + " create");
        Map<String, Object> update = filter(m, args.get("update"), where + " update");
        Map<String, Object> delete = filter(m, args.get("delete"), where + " delete");
        List<String> fields = fields(m, args.get("fields"), where + " fields");
        if (problems.size() > before) {
            return null;
        }
        return new Allow(m.name(), role.getValue(), read, create, update, delete, fields);
    }

    private List<String> fields(Model m, Value<?> v, String where) {
        if (v == null) {
            return null;
        }
        List<Value> items = v instanceof ArrayValue a ? a.getValues() : List.of(v);
        List<String> out = new ArrayList<>();
        for (Value<?> item : items) {
            if (!(item instanceof StringValue s)) {
                problem(item, where + ": expects a list of field names");
                continue;
            }
            if (m.field(s.getValue()).isEmpty() && m.relation(s.getValue()).isEmpty()) {
                problem(item, where + ": \"" + s.getValue() + "\" is not a field of " + m.name());
            }
            out.add(s.getValue());
        }
        return List.copyOf(out);
    }

    /** A {@code <Model>Where} literal as plain Java; null when the argument is absent. */
    private Map<String, Object> filter(Model m, Value<?> v, String where) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof ObjectValue o)) {
            problem(v, where + ": expects a filter like {authorId: {eq: \"$session.userId\"}}, or {} for every row");
            return null;
        }
        return whereObject(m, o, where);
    }

    private Map<String, Object> whereObject(Model m, ObjectValue o, String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ObjectField f : o.getObjectFields()) {
            String at = where + "." + f.getName();
            Value<?> v = f.getValue();
            switch (f.getName()) {
                case "and", "or" -> {
                    if (!(v instanceof ArrayValue a)) {
                        problem(v, at + ": expects a list of filters");
                        continue;
                    }
                    List<Object> items = new ArrayList<>();
                    for (Value<?> item : a.getValues()) {
                        if (item instanceof ObjectValue io) {
                            items.add(whereObject(m, io, at));
                        } else {
                            problem(item, at + ": expects a list of filters");
                        }
                    }
                    out.put(f.getName(), items);
                }
                case "not" -> {
                    if (v instanceof ObjectValue no) {
                        out.put("not", whereObject(m, no, at));
                    } else {
                        problem(v, at + ": expects a filter");
                    }
                }
                default -> {
                    var field = m.field(f.getName());
                    var relation = m.relation(f.getName());
                    if (!(v instanceof ObjectValue inner)) {
                        problem(v, at + ": expects {operator: value}");
                    } else if (field.isPresent()) {
                        out.put(f.getName(), operators(field.get(), inner, at));
                    } else if (relation.isPresent()) {
                        out.put(f.getName(), whereObject(models.get(relation.get().target()), inner, at));
                    } else {
                        problem(f, at + ": " + f.getName() + " is not a field of " + m.name());
                    }
                }
            }
        }
        return out;
    }

    private Map<String, Object> operators(Field field, ObjectValue o, String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!field.comparable()) {
            problem(o, where + ": " + field.graphqlType() + " fields cannot be filtered");
            return out;
        }
        if (o.getObjectFields().isEmpty()) {
            problem(o, where + ": needs an operator");
        }
        for (ObjectField op : o.getObjectFields()) {
            String at = where + "." + op.getName();
            String name = op.getName();
            FilterOp filterOp = FilterOp.byName(name).filter(x -> x.appliesTo(field.type())).orElse(null);
            if (filterOp == null) {
                problem(op, at + ": " + name + " is not an operator for " + field.graphqlType() + " fields");
            } else if (filterOp.operand() == FilterOp.Operand.FLAG) {
                if (op.getValue() instanceof BooleanValue b) {
                    out.put(name, b.isValue());
                } else {
                    problem(op, at + ": expects true or false");
                }
            } else if (filterOp.operand() == FilterOp.Operand.LIST) {
                Object list = literal(op.getValue(), at);
                if (list instanceof List<?> items) {
                    items.forEach(i -> check(field, i, op, at));
                    list = items.stream().map(i -> stored(field, i)).toList();
                } else if (!isSession(list)) {
                    problem(op, at + ": expects a list or a \"$session.NAME\" holding one");
                }
                out.put(name, list);
            } else {
                Object value = literal(op.getValue(), at);
                check(field, value, op, at);
                out.put(name, stored(field, value));
            }
        }
        return out;
    }

    /** An enum literal as its value is stored (see {@link EnumDef#storedAs}), as the API's coercion gives values; others as they are. */
    private Object stored(Field field, Object value) {
        if (field.type() == ScalarType.ENUM && value instanceof String v && !isSession(v) && enums.containsKey(field.enumName())) {
            return enums.get(field.enumName()).storedAs(v);
        }
        return value;
    }

    /** A literal must fit the field's type; a session variable is converted at request time. */
    private void check(Field field, Object value, Node<?> at, String where) {
        if (value == null) {
            problem(at, where + ": null is not a value here (use isNull)");
            return;
        }
        if (isSession(value)) {
            if (value.toString().length() <= Allow.SESSION_PREFIX.length()) {
                problem(at, where + ": \"$session.\" needs a variable name");
            }
            return;
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            problem(at, where + ": expects a single value");
            return;
        }
        try {
            field.type().valueOf(value);
        } catch (IllegalArgumentException e) {
            problem(at, where + ": " + e.getMessage());
            return;
        }
        if (field.type() == ScalarType.ENUM) {
            EnumDef e = enums.get(field.enumName());
            if (e != null && !e.values().contains(value.toString())) {
                problem(at, where + ": " + value + " is not a value of " + e.name());
            }
        }
    }

    static boolean isSession(Object v) {
        return v instanceof String s && s.startsWith(Allow.SESSION_PREFIX);
    }

    private Object literal(Value<?> v, String where) {
        if (v instanceof StringValue s) {
            return s.getValue();
        }
        if (v instanceof IntValue i) {
            return i.getValue();
        }
        if (v instanceof FloatValue f) {
            return f.getValue();
        }
        if (v instanceof BooleanValue b) {
            return b.isValue();
        }
        if (v instanceof EnumValue e) {
            return e.getName();
        }
        if (v instanceof NullValue) {
            return null;
        }
        if (v instanceof ArrayValue a) {
            List<Object> out = new ArrayList<>();
            a.getValues().forEach(item -> out.add(literal(item, where)));
            return out;
        }
        problem(v, where + ": expects a literal value");
        return null;
    }

    private void problem(Node<?> node, String message) {
        var loc = node.getSourceLocation() != null ? node.getSourceLocation() : current == null ? null : current.getSourceLocation();
        problems.add(Problem.at(loc, message));
    }
}
