package dev.modelgate.model;

/** The four relationship kinds of docs/models.md. */
public enum RelationKind {
    BELONGS_TO, HAS_ONE, HAS_MANY, MANY_TO_MANY;

    public boolean toMany() {
        return this == HAS_MANY || this == MANY_TO_MANY;
    }
}
