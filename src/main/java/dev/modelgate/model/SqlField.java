package dev.modelgate.model;

import java.util.List;

/**
 * A field bound to a hand-written MyBatis statement with {@code @sql}: on {@code Query},
 * {@code Mutation} or a model ({@code owner}), declared in {@code extend type Owner { … }}.
 */
public record SqlField(String owner, String name, String description, List<Arg> args, TypeRef type,
                       String statement, boolean batch, String location) {

    /** A GraphQL type as written: a named type, maybe a list, with its non-null marks. */
    public record TypeRef(String name, boolean list, boolean nonNull, boolean elementNonNull) {
    }

    public record Arg(String name, TypeRef type) {
    }

    public boolean onRoot() {
        return owner.equals("Query") || owner.equals("Mutation");
    }
}
