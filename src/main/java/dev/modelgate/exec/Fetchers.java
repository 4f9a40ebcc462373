package dev.modelgate.exec;

import dev.modelgate.db.QueryRunner;
import dev.modelgate.db.Session;
import dev.modelgate.error.Constraints;
import dev.modelgate.error.Errors;

import dev.modelgate.api.MutationKind;
import dev.modelgate.api.Resolvers;
import dev.modelgate.error.GatewayException;
import dev.modelgate.ir.Access;
import dev.modelgate.ir.Aggregate;
import dev.modelgate.ir.ArgumentReader;
import dev.modelgate.ir.BoolExp;
import dev.modelgate.ir.Partition;
import dev.modelgate.ir.Select;
import dev.modelgate.model.AggregateFn;
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
        this.sqlFields = new SqlFields(models, runner.values());
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

    /**
     * A generated read field: what it is (for {@link LevelExecution}, which runs whole levels
     * without graphql-java's per-field execution) and how graphql-java runs it otherwise.
     */
    record Generated(Kind kind, Model model, Relation relation, DataFetcher<?> fetcher) implements DataFetcher<Object> {
        enum Kind { LIST, BY_ID, AGGREGATE, RELATION, RELATION_AGGREGATE }

        @Override
        public Object get(DataFetchingEnvironment env) throws Exception {
            return fetcher.get(env);
        }
    }

    @Override
    public DataFetcher<?> list(Model m) {
        return new Generated(Generated.Kind.LIST, m, null, env -> rows(context(env), select(context(env), m, FieldArgs.of(env), true)));
    }

    @Override
    public DataFetcher<?> byId(Model m) {
        return new Generated(Generated.Kind.BY_ID, m, null, env -> one(context(env), byId(context(env), m, FieldArgs.of(env))));
    }

    @Override
    public DataFetcher<?> aggregate(Model m) {
        return new Generated(Generated.Kind.AGGREGATE, m, null, env -> {
            RequestContext ctx = context(env);
            return aggregateValue(ctx, aggregate(ctx, m, FieldArgs.of(env), selected(env.getSelectionSet())));
        });
    }

    @Override
    public DataFetcher<?> relation(Relation r) {
        Model target = models.target(r);
        Field parentKey = models.parentKey(r);
        return new Generated(Generated.Kind.RELATION, target, r, env -> {
            Map<String, Object> parent = env.getSource();
            Object key = parent.get(parentKey.name());
            if (key == null) {
                return orEmpty(r, null);
            }
            RequestContext ctx = context(env);
            String name = ctx.perField(env.getField(), n -> r.owner() + "." + r.name() + "#" + n);
            DataLoader<Object, Object> loader = env.getDataLoaderRegistry().computeIfAbsent(name,
                    n -> relationLoader(ctx, r, select(ctx, target, FieldArgs.of(env), false)));
            return loader.load(key).thenApply(v -> orEmpty(r, v));
        });
    }

    @Override
    public DataFetcher<?> relationAggregate(Relation r) {
        Model target = models.target(r);
        Field parentKey = models.parentKey(r);
        return new Generated(Generated.Kind.RELATION_AGGREGATE, target, r, env -> {
            Map<String, Object> parent = env.getSource();
            Object key = parent.get(parentKey.name());
            RequestContext ctx = context(env);
            AggregateLevel level = ctx.perField(env.getField(), n -> new AggregateLevel(
                    r.owner() + "." + r.name() + "Aggregate#" + n, aggregate(ctx, target, FieldArgs.of(env), selected(env.getSelectionSet()))));
            if (key == null) {
                return emptyAggregate(level.plan());
            }
            DataLoader<Object, Object> loader = env.getDataLoaderRegistry().computeIfAbsent(level.name(),
                    n -> aggregateLoader(ctx, r, level.plan()));
            return loader.load(key).thenApply(v -> v == null ? emptyAggregate(level.plan()) : v);
        });
    }

    /** One relationship-aggregate field of the document: its loader's name and what it computes. */
    private record AggregateLevel(String name, Aggregate plan) {
    }

    // ---- reads, shared by graphql-java's fetchers and the level executor: first the IR (no SQL), then the statements ----

    /** The row of {@code m} with the key in the arguments, as far as the role may read it. */
    Select byId(RequestContext ctx, Model m, FieldArgs a) {
        Field id = m.id();
        BoolExp where = BoolExp.and(new BoolExp.Compare(id, dev.modelgate.model.FilterOp.EQ, a.get(id.name())), ctx.access().read(m));
        return new Select(m, where, List.of(), 1L, null, null);
    }

    /** Aggregates over the rows the role may read; {@code selected}: the aggregate fields asked for, each with its subfields. */
    Aggregate aggregate(RequestContext ctx, Model m, FieldArgs a, Map<String, List<String>> selected) {
        return new Aggregate(m, readable(ctx, m, a), aggregateTerms(m, selected), null);
    }

    List<Map<String, Object>> rows(RequestContext ctx, Select s) {
        return runner.list(ctx.session(), s);
    }

    Map<String, Object> one(RequestContext ctx, Select s) {
        List<Map<String, Object>> rows = rows(ctx, s);
        return rows.isEmpty() ? null : rows.get(0);
    }

    Map<String, Object> aggregateValue(RequestContext ctx, Aggregate a) {
        return aggregateResult(a.terms(), runner.aggregate(ctx.session(), a));
    }

    /** Loads a relationship for a whole level: parent key → the related row (to-one) or rows (to-many); one statement per batch. */
    DataLoader<Object, Object> relationLoader(RequestContext ctx, Relation r, Select template) {
        return DataLoaderFactory.newMappedDataLoader((Set<Object> keys) -> CompletableFuture.completedFuture(
                loadRelated(ctx, r, template, keys)), loaderOptions);
    }

    /** Loads a relationship aggregate for a whole level: parent key → {count, sum, …}; one statement per batch. */
    DataLoader<Object, Object> aggregateLoader(RequestContext ctx, Relation r, Aggregate plan) {
        return DataLoaderFactory.newMappedDataLoader((Set<Object> keys) -> {
            ctx.telemetry().batch(keys.size());
            Aggregate a = new Aggregate(plan.model(), plan.where(), plan.terms(), new Partition(r, new ArrayList<>(keys)));
            Map<Object, Object> out = new HashMap<>();
            runner.aggregateByParent(ctx.session(), a).forEach((k, v) -> out.put(k, aggregateResult(plan.terms(), v)));
            return CompletableFuture.completedFuture(out);
        }, loaderOptions);
    }

    /** The field of a parent row that a relationship's rows refer to. */
    Field parentKey(Relation r) {
        return models.parentKey(r);
    }

    /** A relationship's value when the parent has no key or no related row: an empty list (to-many) or null. */
    static Object orEmpty(Relation r, Object loaded) {
        return loaded == null && r.toMany() ? List.of() : loaded;
    }

    /** An aggregate over no rows: count 0, every other aggregate null. */
    Map<String, Object> emptyAggregate(Aggregate plan) {
        return aggregateResult(plan.terms(), null);
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
                BoolExp where = kind == MutationKind.DELETE ? new BoolExp.Compare(m.id(), dev.modelgate.model.FilterOp.EQ, key) : where(env, m);
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
    Select select(RequestContext ctx, Model m, FieldArgs a, boolean root) {
        Long limit = args.nonNegative("limit", a.get("limit"));
        if (limit != null && limit > maxRows) {
            throw new GatewayException(dev.modelgate.error.ErrorCode.QUERY_TOO_COMPLEX, "limit " + limit + " is above the maximum of "
                    + maxRows + " rows per list (limits.maxRows)");
        }
        if (limit == null && root) {
            limit = (long) maxRows;
        }
        return new Select(m, readable(ctx, m, a), args.orderBy(m, a.get("orderBy")),
                limit, args.nonNegative("offset", a.get("offset")), null);
    }

    /** At most the row cap per parent for a relationship list without a limit (one statement still serves every parent). */
    private List<Map<String, Object>> capped(List<Map<String, Object>> rows, Long limit) {
        return limit == null && rows.size() > maxRows ? rows.subList(0, maxRows) : rows;
    }

    /** The client's where, ANDed with the rows the role may read. */
    private BoolExp readable(RequestContext ctx, Model m, FieldArgs a) {
        return BoolExp.and(where(ctx, m, a), ctx.access().read(m));
    }

    private BoolExp where(DataFetchingEnvironment env, Model m) {
        return where(context(env), m, FieldArgs.of(env));
    }

    private BoolExp where(RequestContext ctx, Model m, FieldArgs a) {
        requireProvidedVariables(a, "where");
        return args.where(m, a.get("where"), ctx.access());
    }

    /**
     * A variable inside a filter that the request did not provide is an error, not a
     * silently dropped condition: a missing variable must never widen a filter.
     */
    private static void requireProvidedVariables(FieldArgs a, String argument) {
        for (Argument arg : a.ast()) {
            if (arg.getName().equals(argument)) {
                for (String v : variablesIn(arg.getValue())) {
                    if (!a.variables().containsKey(v)) {
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

    /** The aggregate fields a selection asks for (count, sum, …), each with the model fields under it. */
    static Map<String, List<String>> selected(DataFetchingFieldSelectionSet selection) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (SelectedField sf : selection.getImmediateFields()) {
            List<String> sub = out.computeIfAbsent(sf.getName(), k -> new ArrayList<>());
            sf.getSelectionSet().getImmediateFields().forEach(f -> sub.add(f.getName()));
        }
        return out;
    }

    private static List<Aggregate.Term> aggregateTerms(Model m, Map<String, List<String>> selected) {
        Set<Aggregate.Term> terms = new LinkedHashSet<>();
        selected.forEach((name, fields) -> AggregateFn.byName(name).ifPresent(fn -> {
            if (fn == AggregateFn.COUNT) {
                terms.add(new Aggregate.Term(fn, null));
            } else {
                fields.forEach(f -> m.field(f).ifPresent(field -> terms.add(new Aggregate.Term(fn, field))));
            }
        }));
        if (terms.isEmpty()) {
            terms.add(new Aggregate.Term(AggregateFn.COUNT, null));
        }
        return List.copyOf(terms);
    }

    /** Shapes raw aggregate values (null: no rows) as {count, sum: {…}, avg: {…}, …}. */
    private Map<String, Object> aggregateResult(List<Aggregate.Term> terms, List<Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", 0);
        for (int i = 0; i < terms.size(); i++) {
            Aggregate.Term t = terms.get(i);
            Object raw = values == null ? null : values.get(i);
            if (t.fn() == AggregateFn.COUNT) {
                out.put("count", raw == null ? 0 : ((Number) raw).intValue());
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> group = (Map<String, Object>) out.computeIfAbsent(t.fn().graphqlName(), k -> new LinkedHashMap<>());
            group.put(t.field().name(), runner.values().read(t.resultType(), raw));
        }
        for (AggregateFn fn : AggregateFn.overFields()) {
            out.putIfAbsent(fn.graphqlName(), Map.of());
        }
        return out;
    }

}
