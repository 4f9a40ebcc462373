package dev.modelgate.ir;

import dev.modelgate.db.Session;

import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;
import dev.modelgate.model.Allow;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Permissions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one request's role may do, as IR: for each model and operation, the {@link BoolExp}
 * that every statement touching that model's rows is ANDed with. The rules are parsed once
 * ({@link PermissionFilters}); here their session values ({@code "$session.userId"}) are bound to
 * the request's, converted to the type of the field they are compared with, and bound as
 * parameters like any other value.
 */
public final class Access {
    private final PermissionFilters filters;
    private final Permissions permissions;
    private final String role;
    private final Map<String, Object> session;
    private final Map<String, BoolExp> bound = new ConcurrentHashMap<>();

    public Access(PermissionFilters filters, String role, Map<String, Object> session) {
        this.filters = filters;
        this.permissions = filters.permissions();
        this.role = role;
        this.session = session;
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
        return bound.computeIfAbsent(m.name() + "." + op, k -> {
            String where = m.name() + " " + op.name().toLowerCase() + " permission";
            try {
                return filters.template(role, m, op).withValues((field, value) -> bind(field, value, where));
            } catch (IllegalArgumentException e) {   // a session value that is a list, where one value is compared
                throw new GatewayException(ErrorCode.FORBIDDEN, "the " + where + " " + e.getMessage());
            }
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

    /** A rule's value for this request: a session value looked up (a list of them expanded), every value typed by its field. */
    private List<Object> bind(Field f, Object value, String where) {
        Object v = value instanceof BoolExp.SessionValue s ? sessionValue(s.name(), where) : value;
        List<Object> out = new ArrayList<>();
        for (Object item : v instanceof List<?> l ? l : List.of(v)) {
            out.add(typed(f, item, where));
        }
        return out;
    }

    private Object sessionValue(String name, String where) {
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
