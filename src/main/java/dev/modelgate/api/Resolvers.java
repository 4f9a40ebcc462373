package dev.modelgate.api;

import dev.modelgate.model.Model;
import dev.modelgate.model.Relation;
import graphql.schema.DataFetcher;

/** The data fetchers the derived schema is wired to; the exec stage provides them. */
public interface Resolvers {
    DataFetcher<?> list(Model m);

    DataFetcher<?> byId(Model m);

    DataFetcher<?> aggregate(Model m);

    DataFetcher<?> relation(Relation r);

    DataFetcher<?> relationAggregate(Relation r);

    DataFetcher<?> mutation(Model m, MutationKind kind);

    /** A field bound to a hand-written statement ({@code @sql}). */
    DataFetcher<?> sql(dev.modelgate.model.SqlField f);

    /** Resolvers for a schema that is only printed, never executed. */
    static Resolvers unwired() {
        DataFetcher<?> none = env -> {
            throw new IllegalStateException("schema is not wired to a database");
        };
        return new Resolvers() {
            public DataFetcher<?> list(Model m) {
                return none;
            }

            public DataFetcher<?> byId(Model m) {
                return none;
            }

            public DataFetcher<?> aggregate(Model m) {
                return none;
            }

            public DataFetcher<?> relation(Relation r) {
                return none;
            }

            public DataFetcher<?> relationAggregate(Relation r) {
                return none;
            }

            public DataFetcher<?> mutation(Model m, MutationKind kind) {
                return none;
            }

            public DataFetcher<?> sql(dev.modelgate.model.SqlField f) {
                return none;
            }
        };
    }
}
