package dev.modelgate.model;

/**
 * A relationship field of a model.
 *
 * <ul>
 *   <li>BELONGS_TO: {@code key} is a field of the owning model holding the target's primary key.</li>
 *   <li>HAS_MANY / HAS_ONE: {@code key} is a field of the target holding the owner's primary key.</li>
 *   <li>MANY_TO_MANY: {@code joinTable} links them; {@code joinKey} holds the owner's primary key,
 *       {@code joinOtherKey} the target's (column names).</li>
 * </ul>
 */
public record Relation(
        String name,
        RelationKind kind,
        String owner,
        String target,
        String key,
        String joinTable,
        String joinKey,
        String joinOtherKey,
        boolean nullable,
        String description) {

    public boolean toMany() {
        return kind.toMany();
    }
}
