package dev.modelgate.ir;

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
 * Every {@code @allow} row filter, parsed once into the plan's {@link BoolExp} (as Hasura's
 * permission filters are annotated boolean expressions): literals typed like the arguments a client
 * sends, each {@code "$session.NAME"} a {@link BoolExp.SessionValue} that a request's
 * {@link Access} binds. Shared by every request; built on first use per role, model and operation.
 */
public final class PermissionFilters {
    private final Permissions permissions;
    private final ArgumentReader reader;
    private final Map<String, BoolExp> templates = new ConcurrentHashMap<>();

    public PermissionFilters(Permissions permissions) {
        this.permissions = permissions;
        this.reader = new ArgumentReader(permissions.models());
    }

    public Permissions permissions() {
        return permissions;
    }

    /** The filter of {@code role}'s rule for {@code op} on {@code m}, with its session values unbound; the role must be allowed {@code op}. */
    BoolExp template(String role, Model m, Allow.Op op) {
        return templates.computeIfAbsent(role + "\u0000" + m.name() + "\u0000" + op, k ->
                reader.where(m, values(m, permissions.allow(role, m).filter(op)), null));
    }

    /** A rule's filter with session references as {@link BoolExp.SessionValue}s and literals typed by their fields. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> values(Model m, Map<String, Object> filter) {
        Map<String, Object> out = new LinkedHashMap<>();
        filter.forEach((key, value) -> {
            switch (key) {
                case "and", "or" -> {
                    List<Object> items = new ArrayList<>();
                    ((List<Object>) value).forEach(i -> items.add(values(m, (Map<String, Object>) i)));
                    out.put(key, items);
                }
                case "not" -> out.put(key, values(m, (Map<String, Object>) value));
                default -> {
                    var field = m.field(key);
                    if (field.isPresent()) {
                        out.put(key, operators(field.get(), (Map<String, Object>) value));
                    } else {
                        Relation r = m.relation(key).orElseThrow();
                        out.put(key, values(permissions.models().target(r), (Map<String, Object>) value));
                    }
                }
            }
        });
        return out;
    }

    private static Map<String, Object> operators(Field f, Map<String, Object> ops) {
        Map<String, Object> out = new LinkedHashMap<>();
        ops.forEach((op, raw) -> {
            FilterOp.Operand operand = FilterOp.byName(op).orElseThrow().operand();
            if (operand == FilterOp.Operand.FLAG) {
                out.put(op, raw);
            } else if (operand == FilterOp.Operand.LIST) {
                List<Object> items = new ArrayList<>();
                for (Object item : raw instanceof List<?> l ? l : List.of(raw)) {
                    items.add(value(item));   // a session value here may be a list itself: expanded when bound
                }
                out.put(op, items);
            } else {
                out.put(op, value(raw));
            }
        });
        return out;
    }

    /** A session reference as a placeholder; a literal stays as written (typed when bound, like a session value). */
    private static Object value(Object raw) {
        return raw instanceof String s && s.startsWith(Allow.SESSION_PREFIX) ? new BoolExp.SessionValue(s.substring(Allow.SESSION_PREFIX.length())) : raw;
    }
}
