package dev.modelgate.model;

import java.util.List;

/**
 * A relationship field of a model.
 *
 * <ul>
 *   <li>BELONGS_TO: {@code key} are fields of the owning model holding the target's primary key
 *       (one per key field of the target, in its order).</li>
 *   <li>HAS_MANY / HAS_ONE: {@code key} are fields of the target holding the owner's primary key.</li>
 *   <li>MANY_TO_MANY: {@code joinTable} links them; its columns {@code joinKey} hold the owner's
 *       primary key, {@code joinOtherKey} the target's.</li>
 * </ul>
 */
public record Relation(
        String name,
        RelationKind kind,
        String owner,
        String target,
        List<String> key,
        String joinTable,
        List<String> joinKey,
        List<String> joinOtherKey,
        boolean nullable,
        String description) {

    public Relation {
        key = key == null ? null : List.copyOf(key);
        joinKey = joinKey == null ? null : List.copyOf(joinKey);
        joinOtherKey = joinOtherKey == null ? null : List.copyOf(joinOtherKey);
    }

    public boolean toMany() {
        return kind.toMany();
    }
}
