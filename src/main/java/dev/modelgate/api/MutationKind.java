package dev.modelgate.api;

/** The mutation fields derived for every model (docs/api.md). */
public enum MutationKind {
    CREATE, CREATE_MANY, UPDATE, UPDATE_MANY, UPSERT, DELETE, DELETE_MANY
}
