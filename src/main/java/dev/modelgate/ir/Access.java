package dev.modelgate.ir;

import dev.modelgate.db.Session;

import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;
import dev.modelgate.model.Allow;
import dev.modelgate.model.Field;
import dev.modelgate.model.FilterOp;
import dev.modelgate.model.Model;
import dev.modelgate.model.Permissions;
import dev.modelgate.model.Relation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one request's role may do, as IR: for each model and operation, the {@link BoolExp}
 * that every statement touching that model's rows is ANDed with. Session variables
 * ({@code "$session.userId"}) are replaced by the request's values, converted to the type of
 * the field they are compared with, and bound as parameters like any other value.
 */
public final class Access {
    private final Permissions permissions;
    private final String role;
    private final Map<String, Object> session;
    private final ArgumentReader reader;
    private final Map<String, BoolExp> compiled = new ConcurrentHashMap<>();

    public Access(Permissions permissions, String role, Map<String, Object> session) {
        this.permissions = permissions;
        this.role = role;
        this.session = session;
        this.reader = new ArgumentReader(permissions.models());
    }

    public String role() {
        return role;
    }

    /** True when no rule binds this request (admin, or no rules declared). */
    public boolean unrestricted() {
        return permissions.unrestricted(role);
    }

    public boolean allows(Model m, Allow.Op op) {
        return permissions.allows(role, m, op);
    }

    /** The rows of {@code m} the role may touch with {@code op}; FORBIDDEN when it may not at all. */
    public BoolExp filter(Model m, Allow.Op op) {
        if (unrestricted()) {
            return BoolExp.TRUE;
        }
        if (!allows(m, op)) {
            throw forbidden(m, op);
        }
        return compiled.computeIfAbsent(m.name() + "." + op, k -> {
            Map<String, Object> filter = permissions.allow(role, m).filter(op);
            return reader.where(m, convert(m, filter, m.name() + " " + op.name().toLowerCase() + " permission"), null);
        });
    }

    public BoolExp read(Model m) {
        return filter(m, Allow.Op.READ);
    }

    /** The readable rows of a model, or none: rows the role may not read do not exist for it. */
    public BoolExp readOrNothing(Model m) {
        return allows(m, Allow.Op.READ) ? read(m) : BoolExp.FALSE;
    }

    public void require(Model m, Allow.Op op) {
        if (!allows(m, op)) {
            throw forbidden(m, op);
        }
    }

    public GatewayException forbidden(Model m, Allow.Op op) {
        return new GatewayException(ErrorCode.FORBIDDEN, "role " + role + " may not " + op.name().toLowerCase()
                + " " + m.name() + (op == Allow.Op.READ ? " rows" : ""));
    }

    /** A permission filter with its session variables filled in and its values typed like the arguments a client sends. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> convert(Model m, Map<String, Object> filter, String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        filter.forEach((key, value) -> {
            switch (key) {
                case "and", "or" -> {
                    List<Object> items = new ArrayList<>();
                    ((List<Object>) value).forEach(i -> items.add(convert(m, (Map<String, Object>) i, where)));
                    out.put(key, items);
                }
                case "not" -> out.put(key, convert(m, (Map<String, Object>) value, where));
                default -> {
                    var field = m.field(key);
                    if (field.isPresent()) {
                        out.put(key, operators(field.get(), (Map<String, Object>) value, where));
                    } else {
                        Relation r = m.relation(key).orElseThrow();
                        out.put(key, convert(permissions.models().target(r), (Map<String, Object>) value, where));
                    }
                }
            }
        });
        return out;
    }

    private Map<String, Object> operators(Field f, Map<String, Object> ops, String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        ops.forEach((op, raw) -> {
            FilterOp.Operand operand = FilterOp.byName(op).orElseThrow().operand();
            if (operand == FilterOp.Operand.FLAG) {
                out.put(op, raw);
                return;
            }
            Object v = sessionValue(raw, where);
            if (operand == FilterOp.Operand.LIST) {
                List<Object> items = new ArrayList<>();
                for (Object item : v instanceof List<?> l ? l : List.of(v)) {
                    items.add(typed(f, sessionValue(item, where), where));
                }
                out.put(op, items);
            } else {
                out.put(op, typed(f, v, where));
            }
        });
        return out;
    }

    private Object sessionValue(Object raw, String where) {
        if (!(raw instanceof String s) || !s.startsWith(Allow.SESSION_PREFIX)) {
            return raw;
        }
        String name = s.substring(Allow.SESSION_PREFIX.length());
        Object v = session.get(name);
        if (v == null) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "the " + where + " needs the session variable " + name
                    + ", which this request does not have");
        }
        return v;
    }

    private static Object typed(Field f, Object v, String where) {
        try {
            return f.type().valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "the " + where + " compares " + f.name() + " with a session value that is not a "
                    + f.graphqlType());
        }
    }
}
