package dev.modelgate.exec;

import dev.modelgate.api.MutationKind;
import dev.modelgate.api.Resolvers;
import dev.modelgate.error.GatewayException;
import dev.modelgate.ir.Access;
import dev.modelgate.ir.Aggregate;
import dev.modelgate.ir.ArgumentReader;
import dev.modelgate.ir.BoolExp;
import dev.modelgate.ir.Partition;
import dev.modelgate.ir.Select;
import dev.modelgate.model.Allow;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Relation;
import dev.modelgate.model.ScalarType;
import dev.modelgate.sql.Dialect;
import graphql.language.Argument;
import graphql.language.Node;
import graphql.language.VariableReference;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingFieldSelectionSet;
import graphql.schema.SelectedField;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The data fetchers of the derived API. Root fields run one statement each; relationship
 * fields and nested aggregates never query by themselves: they ask a DataLoader that
 * collects the parent keys of a whole level and runs one statement for all of them.
 */
final class Fetchers implements Resolvers {
    private final Models models;
    private final QueryRunner runner;
    private final ArgumentReader args;
    private final Dialect dialect;
    private final Mutations mutations;
    private final SqlFields sqlFields;
    private final int maxRows;
    private final org.dataloader.DataLoaderOptions loaderOptions;

    /** {@code batching} false makes every relationship fetch its own statement (the naive cost; benchmarks only). */
    Fetchers(Models models, QueryRunner runner, Dialect dialect, int maxRows, boolean batching) {
        this.models = models;
        this.maxRows = maxRows;
        this.loaderOptions = org.dataloader.DataLoaderOptions.newOptions().setBatchingEnabled(batching).build();
        this.runner = runner;
        this.args = new ArgumentReader(models);
        this.dialect = dialect;
        this.mutations = new Mutations(models, runner, dialect);
        this.sqlFields = new SqlFields(models, dialect);
    }

    @Override
    public DataFetcher<?> sql(dev.modelgate.model.SqlField f) {
        return sqlFields.fetcher(f);
    }

    static RequestContext context(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(RequestContext.class);
    }

    /**
     * What every mutation field (generated or hand-written) does first: skip after an earlier
     * field failed, make the request one transaction, and forget rows read before this write.
     */
    static RequestContext startMutationField(DataFetchingEnvironment env) {
        RequestContext ctx = context(env);
        if (ctx.failed()) {
            throw new Errors.Skipped();
        }
        ctx.session().beginTransaction();   // a mutation operation's fields all run before any read
        env.getDataLoaderRegistry().getDataLoaders().forEach(DataLoader::clearAll);
        return ctx;
    }

    @Override
    public DataFetcher<?> list(Model m) {
        return env -> runner.list(context(env).session(), select(env, m, true));
    }

    @Override
    public DataFetcher<?> byId(Model m) {
        Field id = m.id();
        return env -> {
            Object key = env.getArgument(id.name());
            RequestContext ctx = context(env);
            BoolExp where = BoolExp.and(new BoolExp.Compare(id, BoolExp.Op.EQ, key), ctx.access().read(m));
            List<Map<String, Object>> rows = runner.list(ctx.session(), new Select(m, where, List.of(), 1L, null, null));
            return rows.isEmpty() ? null : rows.get(0);
        };
    }

    @Override
    public DataFetcher<?> aggregate(Model m) {
        return env -> {
            List<Aggregate.Term> terms = aggregateTerms(m, env.getSelectionSet());
            Aggregate a = new Aggregate(m, readable(env, m), terms, null);
            return aggregateResult(terms, runner.aggregate(context(env).session(), a));
        };
    }

    @Override
    public DataFetcher<?> relation(Relation r) {
        Model target = models.target(r);
        Field parentKey = models.parentKey(r);
        return env -> {
            Map<String, Object> parent = env.getSource();
            Object key = parent.get(parentKey.name());
            if (key == null) {
                return r.toMany() ? List.of() : null;
            }
            String name = context(env).perField(env.getField(), n -> r.owner() + "." + r.name() + "#" + n);
            DataLoader<Object, Object> loader = env.getDataLoaderRegistry().computeIfAbsent(name, n -> {
                Select template = select(env, target, false);
                RequestContext ctx = context(env);
                return DataLoaderFactory.newMappedDataLoader((Set<Object> keys) -> CompletableFuture.completedFuture(
                        loadRelated(ctx, r, template, keys)), loaderOptions);
            });
            CompletableFuture<Object> value = loader.load(key);
            return r.toMany() ? value.thenApply(v -> v == null ? List.of() : v) : value;
        };
    }

    private Map<Object, Object> loadRelated(RequestContext ctx, Relation r, Select template, Set<Object> keys) {
        ctx.telemetry().batch(keys.size());
        Select s = new Select(template.model(), template.where(), template.orderBy(), template.limit(), template.offset(),
                new Partition(r, new ArrayList<>(keys)));
        Map<Object, List<Map<String, Object>>> rows = runner.listByParent(ctx.session(), s);
        Map<Object, Object> out = new HashMap<>();
        rows.forEach((k, v) -> out.put(k, r.toMany() ? capped(v, template.limit()) : v.get(0)));
        return out;
    }

    @Override
    public DataFetcher<?> relationAggregate(Relation r) {
        Model target = models.target(r);
        Field parentKey = models.parentKey(r);
        return env -> {
            Map<String, Object> parent = env.getSource();
            Object key = parent.get(parentKey.name());
            AggregateLevel level = context(env).perField(env.getField(), n -> new AggregateLevel(
                    r.owner() + "." + r.name() + "Aggregate#" + n, aggregateTerms(target, env.getSelectionSet())));
            List<Aggregate.Term> terms = level.terms();
            if (key == null) {
                return aggregateResult(terms, null);
            }
            String name = level.name();
            DataLoader<Object, Object> loader = env.getDataLoaderRegistry().computeIfAbsent(name, n -> {
                BoolExp where = readable(env, target);
                RequestContext ctx = context(env);
                return DataLoaderFactory.newMappedDataLoader((Set<Object> keys) -> {
                    ctx.telemetry().batch(keys.size());
                    Aggregate a = new Aggregate(target, where, terms, new Partition(r, new ArrayList<>(keys)));
                    Map<Object, Object> out = new HashMap<>();
                    runner.aggregateByParent(ctx.session(), a).forEach((k, v) -> out.put(k, aggregateResult(terms, v)));
                    return CompletableFuture.completedFuture(out);
                }, loaderOptions);
            });
            return loader.load(key).thenApply(v -> v == null ? aggregateResult(terms, null) : v);
        };
    }

    /** One relationship-aggregate field of the document: its loader's name and the aggregates it selects. */
    private record AggregateLevel(String name, List<Aggregate.Term> terms) {
    }

    // ---- mutations ----

    @Override
    public DataFetcher<?> mutation(Model m, MutationKind kind) {
        return env -> {
            RequestContext ctx = startMutationField(env);
            try {
                return runMutation(env, ctx.session(), m, kind);
            } catch (GatewayException g) {
                throw Constraints.describe(g, models, m);
            }
        };
    }

    /**
     * One generated mutation. Under permissions: updates and deletes only find rows inside the
     * role's update/delete filter; created rows and the new state of updated rows must satisfy
     * the create/update filter (else FORBIDDEN, and the operation rolls back); rows come back
     * only as far as the role may read them.
     */
    @SuppressWarnings("unchecked")
    private Object runMutation(DataFetchingEnvironment env, Session s, Model m, MutationKind kind) {
        Access a = context(env).access();
        Object key = env.getArgument(m.id().name());
        Map<String, Object> set = env.getArgument("set");
        Map<String, Object> inc = env.getArgument("inc");
        switch (kind) {
            case CREATE, CREATE_MANY -> {
                List<Map<String, Object>> data = kind == MutationKind.CREATE ? List.of((Map<String, Object>) env.getArgument("data"))
                        : env.getArgument("data");
                List<Object> keys = mutations.create(s, a, m, data, "data");
                List<Map<String, Object>> rows = readBack(s, a, m, keys);
                return kind == MutationKind.CREATE ? rows.get(0) : rows;
            }
            case UPDATE -> {
                Mutations.Changes changes = mutations.changes(m, set, inc);
                List<Object> keys = Mutations.keysOf(m, mutations.rows(s, m, List.of(key), a.filter(m, Allow.Op.UPDATE)));
                if (keys.isEmpty()) {
                    return null;
                }
                mutations.update(s, a, m, keys, changes);
                List<Map<String, Object>> rows = mutations.rows(s, m, keys, a.readOrNothing(m));
                return rows.isEmpty() ? null : rows.get(0);
            }
            case UPDATE_MANY -> {
                Mutations.Changes changes = mutations.changes(m, set, inc);
                BoolExp where = BoolExp.and(where(env, m), a.filter(m, Allow.Op.UPDATE));
                List<Object> keys = Mutations.keysOf(m, mutations.matching(s, m, where));
                mutations.update(s, a, m, keys, changes);
                return mutationResult(env, keys.size(), () -> mutations.rows(s, m, keys, a.readOrNothing(m)));
            }
            case UPSERT -> {
                Object upserted = mutations.upsert(s, a, m, env.getArgument("data"), env.getArgument("update"));
                return readBack(s, a, m, List.of(upserted)).get(0);
            }
            case DELETE, DELETE_MANY -> {
                BoolExp where = kind == MutationKind.DELETE ? new BoolExp.Compare(m.id(), BoolExp.Op.EQ, key) : where(env, m);
                List<Object> keys = Mutations.keysOf(m, mutations.matching(s, m, BoolExp.and(where, a.filter(m, Allow.Op.DELETE))));
                boolean selected = kind == MutationKind.DELETE || env.getSelectionSet().contains("returning");
                List<Map<String, Object>> visible = selected ? mutations.rows(s, m, keys, a.readOrNothing(m)) : List.of();
                mutations.delete(s, m, keys);
                if (kind == MutationKind.DELETE) {
                    return visible.isEmpty() ? null : visible.get(0);
                }
                return mutationResult(env, keys.size(), () -> visible);
            }
        }
        throw new IllegalStateException(kind.name());
    }

    /** Rows just written, as the role may read them; a written row it may not read is FORBIDDEN. */
    private List<Map<String, Object>> readBack(Session s, Access a, Model m, List<Object> keys) {
        List<Map<String, Object>> rows = mutations.rows(s, m, keys, a.readOrNothing(m));
        if (rows.size() < keys.size()) {
            throw new GatewayException(dev.modelgate.error.ErrorCode.FORBIDDEN, "role " + a.role() + " may not read the "
                    + m.name() + " it wrote, so it may not write it");
        }
        return rows;
    }

    /** {affectedRows, returning}; the rows are read only when the client selected them. */
    private static Map<String, Object> mutationResult(DataFetchingEnvironment env, int affected,
                                                      java.util.function.Supplier<List<Map<String, Object>>> rows) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("affectedRows", affected);
        out.put("returning", env.getSelectionSet().contains("returning") ? rows.get() : List.of());
        return out;
    }

    // ---- arguments → IR ----

    /** A list's IR: the client's where ANDed with the role's read filter; a root list without limit gets the row cap. */
    private Select select(DataFetchingEnvironment env, Model m, boolean root) {
        Long limit = args.nonNegative("limit", env.getArgument("limit"));
        if (limit != null && limit > maxRows) {
            throw new GatewayException(dev.modelgate.error.ErrorCode.QUERY_TOO_COMPLEX, "limit " + limit + " is above the maximum of "
                    + maxRows + " rows per list (limits.maxRows)");
        }
        if (limit == null && root) {
            limit = (long) maxRows;
        }
        return new Select(m, readable(env, m), args.orderBy(m, env.getArgument("orderBy")),
                limit, args.nonNegative("offset", env.getArgument("offset")), null);
    }

    /** At most the row cap per parent for a relationship list without a limit (one statement still serves every parent). */
    private List<Map<String, Object>> capped(List<Map<String, Object>> rows, Long limit) {
        return limit == null && rows.size() > maxRows ? rows.subList(0, maxRows) : rows;
    }

    /** The client's where, ANDed with the rows the role may read. */
    private BoolExp readable(DataFetchingEnvironment env, Model m) {
        return BoolExp.and(where(env, m), context(env).access().read(m));
    }

    private BoolExp where(DataFetchingEnvironment env, Model m) {
        requireProvidedVariables(env, "where");
        return args.where(m, env.getArgument("where"), context(env).access());
    }

    /**
     * A variable inside a filter that the request did not provide is an error, not a
     * silently dropped condition: a missing variable must never widen a filter.
     */
    private static void requireProvidedVariables(DataFetchingEnvironment env, String argument) {
        for (Argument a : env.getField().getArguments()) {
            if (a.getName().equals(argument)) {
                for (String v : variablesIn(a.getValue())) {
                    if (!env.getVariables().containsKey(v)) {
                        throw GatewayException.badInput(argument + " uses variable $" + v + ", which was not provided");
                    }
                }
            }
        }
    }

    private static Set<String> variablesIn(Node<?> node) {
        Set<String> out = new LinkedHashSet<>();
        if (node instanceof VariableReference v) {
            out.add(v.getName());
        }
        for (Node<?> child : node.getChildren()) {
            out.addAll(variablesIn(child));
        }
        return out;
    }

    // ---- aggregates ----

    private static List<Aggregate.Term> aggregateTerms(Model m, DataFetchingFieldSelectionSet selection) {
        Set<Aggregate.Term> terms = new LinkedHashSet<>();
        for (SelectedField sf : selection.getImmediateFields()) {
            if (sf.getName().equals("count")) {
                terms.add(new Aggregate.Term(Aggregate.Fn.COUNT, null));
                continue;
            }
            Aggregate.Fn fn = fn(sf.getName());
            if (fn == null) {
                continue;
            }
            for (SelectedField sub : sf.getSelectionSet().getImmediateFields()) {
                m.field(sub.getName()).ifPresent(f -> terms.add(new Aggregate.Term(fn, f)));
            }
        }
        if (terms.isEmpty()) {
            terms.add(new Aggregate.Term(Aggregate.Fn.COUNT, null));
        }
        return List.copyOf(terms);
    }

    private static Aggregate.Fn fn(String name) {
        return switch (name) {
            case "sum" -> Aggregate.Fn.SUM;
            case "avg" -> Aggregate.Fn.AVG;
            case "min" -> Aggregate.Fn.MIN;
            case "max" -> Aggregate.Fn.MAX;
            default -> null;
        };
    }

    /** Shapes raw aggregate values (null: no rows) as {count, sum: {…}, avg: {…}, …}. */
    private Map<String, Object> aggregateResult(List<Aggregate.Term> terms, List<Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", 0);
        for (int i = 0; i < terms.size(); i++) {
            Aggregate.Term t = terms.get(i);
            Object raw = values == null ? null : values.get(i);
            if (t.fn() == Aggregate.Fn.COUNT) {
                out.put("count", raw == null ? 0 : ((Number) raw).intValue());
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> group = (Map<String, Object>) out.computeIfAbsent(t.fn().name().toLowerCase(), k -> new LinkedHashMap<>());
            group.put(t.field().name(), dialect.fromJdbc(resultType(t), raw));
        }
        for (String fn : List.of("sum", "avg", "min", "max")) {
            out.putIfAbsent(fn, Map.of());
        }
        return out;
    }

    private static ScalarType resultType(Aggregate.Term t) {
        if (t.fn() == Aggregate.Fn.AVG) {
            return ScalarType.FLOAT;
        }
        if (t.fn() == Aggregate.Fn.SUM && t.field().type() == ScalarType.INT) {
            return ScalarType.LONG;
        }
        return t.field().type();
    }
}
