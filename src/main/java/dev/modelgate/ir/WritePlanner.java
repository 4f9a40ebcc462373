package dev.modelgate.ir;

import dev.modelgate.api.MutationKind;
import dev.modelgate.error.GatewayException;
import dev.modelgate.model.Allow;
import dev.modelgate.model.Field;
import dev.modelgate.model.Keys;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Relation;
import dev.modelgate.model.RelationKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the generated mutations: input values read and checked against their columns, nested
 * creates and links made a tree, and the role's permissions on every model touched looked up,
 * all before the first statement. Permission rules that need the rows become filters in the plan.
 */
final class WritePlanner {
    private final Models models;
    private final ArgumentReader args;
    private final InputReader input = new InputReader();

    WritePlanner(Models models, ArgumentReader args) {
        this.models = models;
        this.args = args;
    }

    @SuppressWarnings("unchecked")
    WritePlan plan(Model m, MutationKind kind, FieldArgs a, Access access) {
        switch (kind) {
            case CREATE, CREATE_MANY: {
                List<Map<String, Object>> data = kind == MutationKind.CREATE ? List.of((Map<String, Object>) a.get("data")) : a.get("data");
                List<String> paths = new ArrayList<>();
                for (int i = 0; i < data.size(); i++) {
                    paths.add(kind == MutationKind.CREATE ? "data" : "data[" + i + "]");
                }
                return new WritePlan.Create(m, createRows(access, m, data, paths), kind == MutationKind.CREATE_MANY, access.readOrNothing(m));
            }
            case UPDATE, UPDATE_MANY: {
                WritePlan.Changes changes = changes(access, m, a.get("set"), a.get("inc"), "set");
                Object key = kind == MutationKind.UPDATE ? Planner.keyValue(m, a) : null;
                BoolExp target = kind == MutationKind.UPDATE ? Planner.keyArgument(m, a) : a.where(args, m, access);
                BoolExp filter = access.filter(m, Allow.Op.UPDATE);
                return new WritePlan.Update(m, key, BoolExp.and(target, filter), changes, filter, access.readOrNothing(m));
            }
            case UPSERT:
                return upsert(access, m, a.get("data"), a.get("update"));
            case DELETE, DELETE_MANY: {
                Object key = kind == MutationKind.DELETE ? Planner.keyValue(m, a) : null;
                BoolExp target = kind == MutationKind.DELETE ? Planner.keyArgument(m, a) : a.where(args, m, access);
                return new WritePlan.Delete(m, key, BoolExp.and(target, access.filter(m, Allow.Op.DELETE)), access.readOrNothing(m));
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /**
     * Rows to create with everything nested under them; every level needs the role's create
     * permission. {@code paths}: where each row's input is in the arguments, for error messages.
     */
    @SuppressWarnings("unchecked")
    private WritePlan.CreateRows createRows(Access access, Model m, List<Map<String, Object>> data, List<String> paths) {
        refuseUnwritable(m);
        BoolExp check = access.filter(m, Allow.Op.CREATE);
        List<Map<Field, Object>> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Map<Field, Object> row = input.scalars(m, data.get(i), paths.get(i));
            for (Field f : m.fields()) {   // a zero-dates column without a default takes no NULL: "no date" is its zero date
                if (f.zeroDates() && !f.hasDefault() && !row.containsKey(f)) {
                    row.put(f, null);
                }
            }
            rows.add(row);
        }
        List<WritePlan.Nested> nested = new ArrayList<>();
        for (Relation r : m.relations()) {
            Model target = models.target(r);
            if (r.kind() == RelationKind.HAS_MANY || r.kind() == RelationKind.HAS_ONE) {
                List<Integer> parents = new ArrayList<>();
                List<Map<String, Object>> children = new ArrayList<>();
                List<String> at = new ArrayList<>();
                for (int i = 0; i < data.size(); i++) {
                    Object v = data.get(i).get(r.name());
                    List<Map<String, Object>> items = v == null ? List.of()
                            : v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of((Map<String, Object>) v);
                    for (int j = 0; j < items.size(); j++) {
                        parents.add(i);
                        children.add(items.get(j));
                        at.add(paths.get(i) + "." + r.name() + (v instanceof List<?> ? "[" + j + "]" : ""));
                    }
                }
                if (!children.isEmpty()) {
                    nested.add(new WritePlan.Children(r, parents, createRows(access, target, children, at)));
                }
            } else if (r.kind() == RelationKind.MANY_TO_MANY) {
                List<WritePlan.Link> connect = new ArrayList<>();
                List<Integer> createdParents = new ArrayList<>();
                List<Map<String, Object>> toCreate = new ArrayList<>();
                List<String> at = new ArrayList<>();
                for (int i = 0; i < data.size(); i++) {
                    Map<String, Object> link = (Map<String, Object>) data.get(i).get(r.name());
                    if (link == null) {
                        continue;
                    }
                    for (Object k : keys(target, link.get("connect"))) {
                        connect.add(new WritePlan.Link(i, k));
                    }
                    List<Object> created = list(link.get("create"));
                    for (int j = 0; j < created.size(); j++) {
                        createdParents.add(i);
                        toCreate.add((Map<String, Object>) created.get(j));
                        at.add(paths.get(i) + "." + r.name() + ".create[" + j + "]");
                    }
                }
                if (!connect.isEmpty() || !toCreate.isEmpty()) {
                    WritePlan.CreateRows created = toCreate.isEmpty() ? null : createRows(access, target, toCreate, at);
                    nested.add(new WritePlan.Links(r, connect, createdParents, created, linkable(access, target)));
                }
            }
        }
        return new WritePlan.CreateRows(m, rows, check, nested);
    }

    /**
     * A new row needs every NOT NULL column without a default; one the API cannot write (a
     * geometry) makes every create of the model fail in the database, so it is refused here, first.
     */
    private static void refuseUnwritable(Model m) {
        for (Field f : m.fields()) {
            if (f.spatial() && !f.nullable() && f.defaultValue() == null) {
                throw GatewayException.badInput("a " + m.name() + " cannot be created through the API: its column " + f.column()
                        + " (" + f.sqlType() + ") is NOT NULL without a default, and geometry is read-only here");
            }
        }
    }

    /** A role links only rows it may read. */
    private static BoolExp linkable(Access access, Model target) {
        return access.unrestricted() ? BoolExp.TRUE : access.readOrNothing(target);
    }

    /**
     * The checked values, amounts and relation changes of an update ({@code set}'s relation
     * fields, nested to any depth); every model a nested step touches needs the role's
     * permission for that step, looked up here, before any statement.
     */
    @SuppressWarnings("unchecked")
    private WritePlan.Changes changes(Access access, Model m, Map<String, Object> set, Map<String, Object> inc, String path) {
        Map<Field, Object> values = input.scalars(m, set, path);
        m.key().forEach(values::remove);
        Map<Field, Object> amounts = input.increments(m, inc, "inc");
        for (Field f : amounts.keySet()) {
            if (values.containsKey(f)) {
                throw GatewayException.badInput(m.name() + "." + f.name() + " is in both set and inc; give one");
            }
        }
        List<WritePlan.LinkChange> links = new ArrayList<>();
        List<WritePlan.ParentChange> parents = new ArrayList<>();
        List<WritePlan.ChildrenChange> children = new ArrayList<>();
        for (Relation r : m.relations()) {
            if (set == null || !set.containsKey(r.name())) {
                continue;
            }
            String at = path + "." + r.name();
            Map<String, Object> change = (Map<String, Object>) set.get(r.name());
            if (change == null || change.isEmpty()) {
                throw GatewayException.badInput(at + " is " + (change == null ? "null" : "empty") + "; leave it out, or say what to do (create, connect, …)");
            }
            Model target = models.target(r);
            switch (r.kind()) {
                case MANY_TO_MANY -> {
                    if (change.containsKey("set") && change.containsKey("connect")) {
                        throw GatewayException.badInput(at + ": set replaces every link; give set or connect, not both");
                    }
                    boolean replace = change.containsKey("set");
                    List<Object> created = list(change.get("create"));
                    links.add(new WritePlan.LinkChange(r, keys(target, change.get(replace ? "set" : "connect")), keys(target, change.get("disconnect")),
                            created.isEmpty() ? null : createRows(access, target, (List<Map<String, Object>>) (List<?>) created, paths(at + ".create", created.size())),
                            replace, linkable(access, target)));
                }
                case BELONGS_TO -> {
                    if (change.size() != 1) {
                        throw GatewayException.badInput(at + ": give connect or create, one of them");
                    }
                    for (String k : r.key()) {
                        if (set.containsKey(k)) {
                            throw GatewayException.badInput(at + " and " + path + "." + k + " both set the same key; give one");
                        }
                    }
                    Object connect = change.get("connect");
                    Object key = connect instanceof Map<?, ?> map ? Keys.of((Map<String, Object>) map, target.key()) : connect;
                    WritePlan.CreateRows create = change.get("create") == null ? null
                            : createRows(access, target, List.of((Map<String, Object>) change.get("create")), List.of(at + ".create"));
                    parents.add(new WritePlan.ParentChange(r, key, create, linkable(access, target)));
                }
                case HAS_MANY, HAS_ONE -> children.add(childrenChange(access, r, target, change, at));
            }
        }
        return new WritePlan.Changes(values, amounts, links, parents, children);
    }

    /** A has-many or has-one relation's nested update: each step read and checked, the role's filters on the child looked up. */
    @SuppressWarnings("unchecked")
    private WritePlan.ChildrenChange childrenChange(Access access, Relation r, Model child, Map<String, Object> change, String at) {
        boolean many = r.kind() == RelationKind.HAS_MANY;
        BoolExp delete = null;
        if (change.get("delete") != null) {
            delete = many ? args.where(child, change.get("delete"), access) : Boolean.TRUE.equals(change.get("delete")) ? BoolExp.TRUE : null;
        }
        List<WritePlan.ChildUpdate> update = new ArrayList<>();
        Object u = change.get("update");
        if (u != null && many) {
            List<Object> items = list(u);
            for (int i = 0; i < items.size(); i++) {
                Map<String, Object> item = (Map<String, Object>) items.get(i);
                update.add(new WritePlan.ChildUpdate(args.where(child, item.get("where"), access),
                        changes(access, child, (Map<String, Object>) item.get("set"), null, at + ".update[" + i + "].set")));
            }
        } else if (u != null) {
            update.add(new WritePlan.ChildUpdate(BoolExp.TRUE, changes(access, child, (Map<String, Object>) u, null, at + ".update")));
        }
        List<Object> disconnect = keys(child, change.get("disconnect"));
        List<Object> connect = keys(child, change.get("connect"));
        Object c = change.get("create");
        List<Map<String, Object>> create = c == null ? List.of() : c instanceof List<?> l ? (List<Map<String, Object>>) l : List.of((Map<String, Object>) c);
        boolean changing = !update.isEmpty() || !disconnect.isEmpty() || !connect.isEmpty();
        return new WritePlan.ChildrenChange(r, delete, update, disconnect, connect,
                create.isEmpty() ? null : createRows(access, child, create, paths(at + ".create", c instanceof List<?> ? create.size() : -1)),
                changing ? access.filter(child, Allow.Op.UPDATE) : BoolExp.TRUE, delete != null ? access.filter(child, Allow.Op.DELETE) : BoolExp.TRUE);
    }

    /** Where each of n list items is in the arguments ({@code n} -1: one object, not a list). */
    private static List<String> paths(String at, int n) {
        if (n < 0) {
            return List.of(at);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(at + "[" + i + "]");
        }
        return out;
    }

    /**
     * Inserts, or updates the row with the same primary key or unique field. Under permissions
     * the role needs create and update; an existing row must be inside its update filter, and the
     * row written must satisfy the create or update filter.
     */
    private WritePlan upsert(Access access, Model m, Map<String, Object> data, Map<String, Object> update) {
        refuseUnwritable(m);
        BoolExp createCheck = access.filter(m, Allow.Op.CREATE);
        BoolExp updateCheck = access.filter(m, Allow.Op.UPDATE);
        for (Relation r : m.relations()) {
            if (data.get(r.name()) != null) {
                throw GatewayException.badInput("data." + r.name() + ": upsert takes the model's own fields only");
            }
        }
        Map<Field, Object> values = input.scalars(m, data, "data");
        List<Field> conflict = Keys.ofFields(values, m.key()) != null ? m.key()
                : values.keySet().stream().filter(f -> f.unique() && values.get(f) != null).findFirst().map(List::of)
                .orElseThrow(() -> GatewayException.badInput("upsert" + m.name()
                        + " needs the primary key (every field of it) or a @unique field in data, to know which row to update"));
        for (Relation r : m.relations()) {
            if (update != null && update.get(r.name()) != null) {
                throw GatewayException.badInput("update." + r.name() + ": upsert takes the model's own fields only; use update" + m.name()
                        + " for changes through relations");
            }
        }
        Map<Field, Object> changes = update != null ? input.scalars(m, update, "update") : new LinkedHashMap<>(values);
        conflict.forEach(changes::remove);
        m.key().forEach(changes::remove);
        return new WritePlan.Upsert(m, values, conflict, changes, access.unrestricted() ? null : updateCheck,
                createCheck, updateCheck, access.readOrNothing(m));
    }

    /** Keys of {@code target} given to connect or disconnect: values, or objects by key field for a composite key. */
    @SuppressWarnings("unchecked")
    private static List<Object> keys(Model target, Object v) {
        List<Object> out = new ArrayList<>();
        for (Object k : list(v)) {
            out.add(k instanceof Map<?, ?> map ? Keys.of((Map<String, Object>) map, target.key()) : k);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object v) {
        return v == null ? List.of() : (List<Object>) v;
    }
}
