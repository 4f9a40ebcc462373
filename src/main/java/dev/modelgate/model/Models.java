package dev.modelgate.model;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gathered snapshot of every model and enum. Immutable; the GraphQL schema,
 * the DDL and the SQL are pure functions of it.
 */
public final class Models {
    private final Map<String, Model> models;
    private final Map<String, EnumDef> enums;
    private final List<SqlField> sqlFields;
    private final List<Allow> allows;
    private List<Rename> renames = List.of();

    public Models(List<Model> models, List<EnumDef> enums) {
        this(models, enums, List.of());
    }

    public Models(List<Model> models, List<EnumDef> enums, List<SqlField> sqlFields) {
        this(models, enums, sqlFields, List.of());
    }

    public Models(List<Model> models, List<EnumDef> enums, List<SqlField> sqlFields, List<Allow> allows) {
        this.sqlFields = List.copyOf(sqlFields);
        this.allows = List.copyOf(allows);
        Map<String, Model> m = new LinkedHashMap<>();
        models.forEach(x -> m.put(x.name(), x));
        Map<String, EnumDef> e = new LinkedHashMap<>();
        enums.forEach(x -> e.put(x.name(), x));
        this.models = java.util.Collections.unmodifiableMap(m);
        this.enums = java.util.Collections.unmodifiableMap(e);
    }

    public Collection<Model> all() {
        return models.values();
    }

    /** The fields bound to hand-written statements ({@code @sql}). */
    public List<SqlField> sqlFields() {
        return sqlFields;
    }

    /** Every {@code @allow}; when there is none, every role may do everything. */
    public List<Allow> allows() {
        return allows;
    }

    /** The same models, remembering the {@code @renamedFrom} of their tables and columns. */
    public Models withRenames(List<Rename> renames) {
        Models m = new Models(List.copyOf(all()), List.copyOf(enums()), sqlFields, allows);
        m.renames = List.copyOf(renames);
        return m;
    }

    /** Every {@code @renamedFrom}: what migrations rename instead of dropping and adding. */
    public List<Rename> renames() {
        return renames;
    }

    /** The same models with other permissions (tests and tools). */
    public Models withAllows(List<Allow> allows) {
        return new Models(List.copyOf(all()), List.copyOf(enums()), sqlFields, allows).withRenames(renames);
    }

    public Collection<EnumDef> enums() {
        return enums.values();
    }

    /** The model of that name, if there is one. */
    public java.util.Optional<Model> find(String name) {
        return java.util.Optional.ofNullable(models.get(name));
    }

    public Model get(String name) {
        Model m = models.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no model " + name);
        }
        return m;
    }

    public boolean has(String name) {
        return models.containsKey(name);
    }

    /** The model a relation points to. */
    public Model target(Relation r) {
        return get(r.target());
    }

    /** The owning model's fields whose values are matched against the related rows (the parent key), in key order. */
    public List<Field> parentKey(Relation r) {
        Model owner = get(r.owner());
        return r.kind() == RelationKind.BELONGS_TO ? fields(owner, r.key()) : owner.key();
    }

    /**
     * The target's fields matched by {@link #parentKey}, in the same order; for many-to-many the
     * target's key (matched by the join table's {@code joinOtherKey} columns).
     */
    public List<Field> targetKey(Relation r) {
        Model target = target(r);
        return switch (r.kind()) {
            case BELONGS_TO, MANY_TO_MANY -> target.key();
            case HAS_ONE, HAS_MANY -> fields(target, r.key());
        };
    }

    /** The fields of {@code m} with these names, in this order. */
    public static List<Field> fields(Model m, List<String> names) {
        List<Field> out = new java.util.ArrayList<>(names.size());
        for (String n : names) {
            out.add(m.requireField(n));
        }
        return List.copyOf(out);
    }

    /**
     * The name a child created under {@code r} (a has-many or has-one) is "without": the
     * child's belongs-to relation over the same key if it has one, else the key minus "Id"
     * (the owner's name for a key of several fields).
     */
    public String inverseName(Relation r) {
        Model target = target(r);
        for (Relation back : target.relations()) {
            if (back.kind() == RelationKind.BELONGS_TO && back.key().equals(r.key()) && back.target().equals(r.owner())) {
                return back.name();
            }
        }
        if (r.key().size() > 1) {
            return Inflector.lowerFirst(r.owner());
        }
        String key = r.key().get(0);
        return key.endsWith("Id") && key.length() > 2 ? key.substring(0, key.length() - 2) : key;
    }

    /** Relations of any model whose rows reference rows of {@code m} through a key column. */
    public java.util.List<Relation> referencing(Model m) {
        java.util.List<Relation> out = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Model other : all()) {
            for (Relation r : other.relations()) {
                boolean points = (r.kind() == RelationKind.BELONGS_TO && r.target().equals(m.name()))
                        || ((r.kind() == RelationKind.HAS_MANY || r.kind() == RelationKind.HAS_ONE) && r.owner().equals(m.name()));
                if (!points) {
                    continue;
                }
                Model child = r.kind() == RelationKind.BELONGS_TO ? other : target(r);
                if (seen.add(child.name() + "." + r.key())) {
                    out.add(r);
                }
            }
        }
        return out;
    }
}
