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

    public Models(List<Model> models, List<EnumDef> enums) {
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

    public Collection<EnumDef> enums() {
        return enums.values();
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

    /** The owning model's field that holds the value matched against the related rows. */
    public Field parentKey(Relation r) {
        Model owner = get(r.owner());
        return r.kind() == RelationKind.BELONGS_TO ? owner.requireField(r.key()) : owner.id();
    }

    /** The target's field matched by {@link #parentKey}; null for many-to-many (matched in the join table). */
    public Field targetKey(Relation r) {
        Model target = target(r);
        return switch (r.kind()) {
            case BELONGS_TO -> target.id();
            case HAS_ONE, HAS_MANY -> target.requireField(r.key());
            case MANY_TO_MANY -> null;
        };
    }
}
