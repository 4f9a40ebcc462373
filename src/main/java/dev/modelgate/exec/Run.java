package dev.modelgate.exec;

import dev.modelgate.model.Keys;

import dev.modelgate.db.Row;
import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.Errors;
import dev.modelgate.error.GatewayException;
import dev.modelgate.ir.FieldPlan;
import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphQLError;
import graphql.language.SourceLocation;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One planned operation being run, in two passes. Load: each root field runs (a mutation's
 * fields in order, each with the fields below it, before the next), and below it each
 * relationship field collects the keys of all its parent rows and loads them at once: one
 * statement per level. Complete: the response is built from what was loaded with graphql-java's
 * semantics: scalars serialized by their type, a failed field nulled with one error at each
 * path it appears at, a null in a non-null position bubbling to the nearest nullable parent.
 */
final class Run {
    private static final Logger LOG = LoggerFactory.getLogger(Run.class);
    /** A value standing for "null here, and an error says why". */
    private static final Object NULLED = new Object();

    /** What runs the IR: reads, writes and hand-written statements. */
    record Stages(Reads reads, Writes writes, SqlFields sql) {
    }

    private final Stages stages;
    /** What scalars serialize with: the request's GraphQL context (e.g. how big numbers are sent) and locale. */
    private final graphql.GraphQLContext graphqlContext;
    private final java.util.Locale locale;
    private final RequestContext ctx;
    private final List<FieldPlan> roots;
    private final boolean mutation;
    /** Root fields: their value. */
    private final Map<FieldPlan, Object> values = new IdentityHashMap<>();
    /** Fields below the root: parent key → value. */
    private final Map<FieldPlan, Map<Object, Object>> loaded = new IdentityHashMap<>();
    /** Fields whose statement (or plan) failed, and why. */
    private final Map<FieldPlan, GatewayException> failures = new IdentityHashMap<>();
    private final List<GraphQLError> errors = new ArrayList<>();
    private final List<Object> path = new ArrayList<>();
    /** Response keys per selection, shared by every object completed for it. */
    private final Map<FieldPlan, String[]> responseKeys = new IdentityHashMap<>();

    /**
     * A run of bound plans: nothing of graphql-java's execution is needed but the context and locale
     * scalars serialize with, so a plan can be run again outside a graphql-java request.
     */
    Run(Stages stages, graphql.GraphQLContext graphqlContext, java.util.Locale locale, RequestContext ctx, List<FieldPlan> roots, boolean mutation) {
        this.stages = stages;
        this.graphqlContext = graphqlContext;
        this.locale = locale;
        this.ctx = ctx;
        this.roots = roots;
        this.mutation = mutation;
    }

    ExecutionResult execute() {
        if (refusedBeforeAnySql()) {
            return refused();
        }
        if (mutation) {
            ctx.session().beginTransaction();
        }
        load(List.of(this));
        return complete();
    }

    /**
     * Runs several bound plans of one document together (a live query's variable sets, on one
     * session): each level is one statement for all of them ({@link Reads}' many-plan reads), and
     * each plan is then completed on its own. Plans whose shapes differ (a {@code @skip} on a
     * variable) run one after the other.
     */
    static List<ExecutionResult> executeAll(List<Run> runs) {
        List<ExecutionResult> out = new ArrayList<>(java.util.Collections.nCopies(runs.size(), null));
        List<Run> loading = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            if (r.mutation) {
                throw new IllegalStateException("mutations run one at a time");
            }
            if (r.refusedBeforeAnySql()) {
                out.set(i, r.refused());
            } else if (!loading.isEmpty() && !sameShape(loading.get(0).roots, r.roots)) {
                out.set(i, r.execute());
            } else {
                loading.add(r);
            }
        }
        if (!loading.isEmpty()) {
            load(loading);
        }
        for (int i = 0; i < runs.size(); i++) {
            if (out.get(i) == null) {
                out.set(i, runs.get(i).complete());
            }
        }
        return out;
    }

    private ExecutionResult refused() {
        ctx.fail();
        ExecutionResultImpl.Builder refused = ExecutionResultImpl.newExecutionResult().errors(errors);
        if (mutation && !onlyLimits()) {
            refused.data(null);   // a mutation's field error: {"data": null, "errors": […]} (docs/api.md)
        }
        return refused.build();   // a refused limit is a request error: no data at all
    }

    /** Whether two plans have the same fields at the same places (a failed field matches any). */
    private static boolean sameShape(List<FieldPlan> a, List<FieldPlan> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            FieldPlan x = a.get(i);
            FieldPlan y = b.get(i);
            if (x.planError() != null || y.planError() != null) {
                continue;
            }
            if (x.getClass() != y.getClass() || !sameShape(x.children(), y.children())) {
                return false;
            }
        }
        return true;
    }

    /**
     * A plan of the same shape as the others at one place: the run it belongs to, its field,
     * and (below the root) the parent rows it loads for.
     */
    private record Slot(Run run, FieldPlan plan, List<Map<String, Object>> parents) {
    }

    /**
     * A plan that must not start: a limit refused anywhere, or any field of a mutation that did
     * not plan (nothing is written when part of the operation cannot be). Its errors, at their fields.
     */
    private boolean refusedBeforeAnySql() {
        List<FieldPlan.Failed> failed = new ArrayList<>();
        collectFailed(roots, failed);
        boolean refused = false;
        for (FieldPlan.Failed f : failed) {
            boolean root = roots.contains(f);
            if (f.error().code() == ErrorCode.QUERY_TOO_COMPLEX || mutation && root) {
                GatewayException g = Errors.toGateway(f.error(), ctx.requestId());
                errors.add(Errors.error(g, locations(f), root ? List.of(f.out().key()) : List.of(), ctx.requestId()));
                refused = true;
            }
        }
        return refused;
    }

    private boolean onlyLimits() {
        return errors.stream().allMatch(e -> ErrorCode.QUERY_TOO_COMPLEX.name().equals(e.getExtensions().get("code")));
    }

    private static void collectFailed(List<FieldPlan> plans, List<FieldPlan.Failed> out) {
        for (FieldPlan p : plans) {
            if (p.planError() != null) {
                out.add((FieldPlan.Failed) p);
            }
            collectFailed(p.children(), out);
        }
    }

    // ---- load ----

    /** Loads the runs' root fields in order, each with the levels below it; the runs share one session (the first's). */
    private static void load(List<Run> runs) {
        Run first = runs.get(0);
        for (int j = 0; j < first.roots.size(); j++) {
            List<Slot> slots = new ArrayList<>();
            for (Run r : runs) {
                FieldPlan root = r.roots.get(j);
                if (root.introspection() || r.mutation && r.ctx.failed()) {
                    continue;   // graphql-java's; or a mutation field after a failed one, which is skipped
                }
                if (root.planError() != null) {
                    r.failures.put(root, r.failure(root.planError()));
                } else {
                    slots.add(new Slot(r, root, null));
                }
            }
            if (slots.isEmpty()) {
                continue;
            }
            List<Object> values;
            try {
                values = first.rootValues(slots);
            } catch (RuntimeException e) {
                slots.forEach(s -> s.run().failures.put(s.plan(), s.run().failure(e)));
                continue;
            }
            List<Slot> below = new ArrayList<>();
            for (int i = 0; i < slots.size(); i++) {
                Slot s = slots.get(i);
                Object value = values.get(i);
                s.run().values.put(s.plan(), value);
                below.add(new Slot(s.run(), s.plan(), rowsOf(value == null ? List.of() : List.of(value))));
            }
            first.loadBelow(below);
        }
    }

    /** The root fields' values at one place of every run: what their statement (or write, or hand-written statement) returns. */
    private List<Object> rootValues(List<Slot> slots) {
        return slots.get(0).plan().accept(new FieldPlan.Visitor<>() {
            public List<Object> typename(FieldPlan.Typename t) {
                return each(slots, i -> slots.get(i).plan().out().parentType());
            }

            public List<Object> rows(FieldPlan.Rows r) {
                List<List<Map<String, Object>>> rows = stages.reads().rows(ctx.session(), plans(slots, FieldPlan.Rows.class, FieldPlan.Rows::select));
                return each(slots, i -> !r.one() ? rows.get(i) : rows.get(i).isEmpty() ? null : rows.get(i).get(0));
            }

            public List<Object> aggregates(FieldPlan.Aggregates a) {
                return new ArrayList<>(stages.reads().aggregates(ctx.session(), plans(slots, FieldPlan.Aggregates.class, FieldPlan.Aggregates::aggregate)));
            }

            public List<Object> groups(FieldPlan.Groups g) {
                return new ArrayList<>(stages.reads().groups(ctx.session(), plans(slots, FieldPlan.Groups.class, FieldPlan.Groups::group)));
            }

            public List<Object> relatedGroups(FieldPlan.RelatedGroups g) {
                return notRoot(g);
            }

            public List<Object> connection(FieldPlan.Connection c) {
                List<FieldPlan.Connection> cs = plans(slots, FieldPlan.Connection.class, x -> x);
                List<List<Map<String, Object>>> rows = stages.reads().rows(ctx.session(), cs.stream().map(FieldPlan.Connection::select).toList());
                List<Map<String, Object>> totals = c.total() == null ? null
                        : stages.reads().aggregates(ctx.session(), cs.stream().map(FieldPlan.Connection::total).toList());
                return each(slots, i -> Connections.value(cs.get(i).page(), rows.get(i),
                        totals == null ? null : (Integer) totals.get(i).get("count")));
            }

            public List<Object> relatedConnection(FieldPlan.RelatedConnection c) {
                return notRoot(c);
            }

            public List<Object> sql(FieldPlan.Sql s) {   // a hand-written statement: once per plan
                return each(slots, i -> stages.sql().root(ctx.session(), (FieldPlan.Sql) slots.get(i).plan()));
            }

            public List<Object> write(FieldPlan.Write w) {
                return each(slots, i -> {
                    FieldPlan.Write x = (FieldPlan.Write) slots.get(i).plan();
                    boolean returning = x.children().stream().anyMatch(c -> c.out().name().equals("returning"));
                    return stages.writes().run(ctx.session(), ctx.access().role(), x.write(), x.reading(), returning);
                });
            }

            public List<Object> failed(FieldPlan.Failed f) {
                throw f.error();
            }

            public List<Object> property(FieldPlan.Property p) {
                return notRoot(p);
            }

            public List<Object> nodeId(FieldPlan.NodeId n) {
                return notRoot(n);
            }

            public List<Object> related(FieldPlan.Related r) {
                return notRoot(r);
            }

            public List<Object> relatedAggregates(FieldPlan.RelatedAggregates a) {
                return notRoot(a);
            }

            public List<Object> introspection(FieldPlan.Introspection i) {
                return notRoot(i);   // graphql-java's, never run here
            }
        });
    }

    private static <T> T notRoot(FieldPlan f) {
        throw new IllegalStateException("not a root field: " + f);
    }

    /** One value per slot, by index. */
    private static List<Object> each(List<Slot> slots, java.util.function.IntFunction<Object> value) {
        List<Object> out = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            out.add(value.apply(i));
        }
        return out;
    }

    /** The slots' plans (all of one kind, as their shapes agree), each read by {@code part}. */
    private static <P extends FieldPlan, T> List<T> plans(List<Slot> slots, Class<P> kind, java.util.function.Function<P, T> part) {
        List<T> out = new ArrayList<>(slots.size());
        for (Slot s : slots) {
            out.add(part.apply(kind.cast(s.plan())));
        }
        return out;
    }

    /** Loads each field below the slots' fields for all their parent rows at once (one statement per field for every slot), then the level below. */
    private void loadBelow(List<Slot> slots) {
        List<FieldPlan> children = slots.get(0).plan().children();
        for (int c = 0; c < children.size(); c++) {
            List<Slot> at = new ArrayList<>(slots.size());
            for (Slot s : slots) {
                FieldPlan child = s.plan().children().get(c);
                if (child.planError() == null) {
                    at.add(new Slot(s.run(), child, s.parents()));
                }
            }
            if (at.isEmpty()) {
                continue;
            }
            at.get(0).plan().accept(new FieldPlan.Visitor<Void>() {
                public Void property(FieldPlan.Property p) {
                    if (!p.children().isEmpty()) {   // an object inside the parent: a mutation's returning rows, an aggregate's parts
                        List<Slot> inner = new ArrayList<>(at.size());
                        for (Slot s : at) {
                            List<Object> values = new ArrayList<>();
                            s.parents().forEach(row -> values.add(row.get(p.out().name())));
                            inner.add(new Slot(s.run(), s.plan(), rowsOf(values)));
                        }
                        loadBelow(inner);
                    }
                    return null;
                }

                public Void related(FieldPlan.Related r) {
                    level(at, true, () -> stages.reads().related(ctx.session(), ctx.telemetry(), r.relation(),
                            plans(at, FieldPlan.Related.class, FieldPlan.Related::select), keysOf(at, r.parentKey())));
                    return null;
                }

                public Void relatedAggregates(FieldPlan.RelatedAggregates a) {
                    level(at, false, () -> stages.reads().relatedAggregates(ctx.session(), ctx.telemetry(), a.relation(),
                            plans(at, FieldPlan.RelatedAggregates.class, FieldPlan.RelatedAggregates::aggregate), keysOf(at, a.parentKey())));
                    return null;
                }

                public Void sql(FieldPlan.Sql s) {   // a hand-written statement: one per plan, for all its parents
                    level(at, true, () -> {
                        List<Map<Object, Object>> out = new ArrayList<>();
                        at.forEach(x -> out.add(stages.sql().level(ctx.session(), ctx.telemetry(), (FieldPlan.Sql) x.plan(), x.parents())));
                        return out;
                    });
                    return null;
                }

                public Void relatedGroups(FieldPlan.RelatedGroups g) {
                    level(at, false, () -> stages.reads().relatedGroups(ctx.session(), ctx.telemetry(), g.relation(),
                            plans(at, FieldPlan.RelatedGroups.class, FieldPlan.RelatedGroups::group), keysOf(at, g.parentKey())));
                    return null;
                }

                public Void groups(FieldPlan.Groups g) {
                    return notBelow(g);
                }

                public Void relatedConnection(FieldPlan.RelatedConnection c) {
                    level(at, true, () -> {
                        List<FieldPlan.RelatedConnection> cs = plans(at, FieldPlan.RelatedConnection.class, x -> x);
                        List<Set<Object>> keys = keysOf(at, c.parentKey());
                        List<Map<Object, Object>> rows = stages.reads().related(ctx.session(), ctx.telemetry(), c.relation(),
                                cs.stream().map(FieldPlan.RelatedConnection::select).toList(), keys);
                        List<Map<Object, Object>> totals = c.total() == null ? null : stages.reads().relatedAggregates(ctx.session(),
                                ctx.telemetry(), c.relation(), cs.stream().map(FieldPlan.RelatedConnection::total).toList(), keys);
                        List<Map<Object, Object>> out = new ArrayList<>();
                        for (int i = 0; i < cs.size(); i++) {
                            Map<Object, Object> byKey = new java.util.HashMap<>();
                            Map<Object, Object> total = totals == null ? Map.of() : totals.get(i);
                            FieldPlan.RelatedConnection ci = cs.get(i);
                            rows.get(i).forEach((k, v) -> byKey.put(k, connectionOf(ci, v, total.get(k))));
                            out.add(byKey);
                        }
                        return out;
                    });
                    return null;
                }

                public Void connection(FieldPlan.Connection c) {
                    return notBelow(c);
                }

                // nothing to load for a level: a value of the parent, an error, or graphql-java's
                public Void typename(FieldPlan.Typename t) {
                    return null;
                }

                public Void nodeId(FieldPlan.NodeId n) {
                    return null;
                }

                public Void failed(FieldPlan.Failed f) {
                    return null;
                }

                public Void introspection(FieldPlan.Introspection i) {
                    return null;
                }

                public Void rows(FieldPlan.Rows r) {
                    return notBelow(r);
                }

                public Void aggregates(FieldPlan.Aggregates a) {
                    return notBelow(a);
                }

                public Void write(FieldPlan.Write w) {
                    return notBelow(w);
                }
            });
        }
    }

    /** A parent's page of a relation's connection: its rows as read, its count ({count: n}) when asked for. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> connectionOf(FieldPlan.RelatedConnection c, Object rows, Object total) {
        Integer count = c.total() == null ? null : total == null ? 0 : (Integer) ((Map<String, Object>) total).get("count");
        return Connections.value(c.page(), (List<Map<String, Object>>) rows, count);
    }

    private static Void notBelow(FieldPlan f) {
        throw new IllegalStateException("a root field below another: " + f);
    }

    /**
     * One statement for a whole level of the slots' field: each slot's values by parent key, then
     * (when it has rows) the level below.
     */
    private void level(List<Slot> slots, boolean rows, java.util.function.Supplier<List<Map<Object, Object>>> load) {
        FieldPlan c = slots.get(0).plan();
        List<Map<Object, Object>> byKey;
        Runnable traced = ctx.telemetry().tracing().span("graphql.level " + c.out().parentType() + "." + c.out().name());
        try {
            byKey = load.get();
        } catch (RuntimeException e) {
            slots.forEach(s -> s.run().failures.put(s.plan(), s.run().failure(e)));
            return;
        } finally {
            traced.run();
        }
        List<Slot> below = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            s.run().loaded.put(s.plan(), byKey.get(i));
            if (rows) {
                below.add(new Slot(s.run(), s.plan(), rowsOf(byKey.get(i).values())));
            }
        }
        if (rows) {
            loadBelow(below);
        }
    }

    /** Each slot's parent keys. */
    private static List<Set<Object>> keysOf(List<Slot> slots, List<dev.modelgate.model.Field> keyFields) {
        List<Set<Object>> out = new ArrayList<>(slots.size());
        for (Slot s : slots) {
            out.add(keys(s.parents(), keyFields));
        }
        return out;
    }

    private static Set<Object> keys(List<Map<String, Object>> parents, List<dev.modelgate.model.Field> keyFields) {
        Set<Object> keys = new LinkedHashSet<>();
        for (Map<String, Object> p : parents) {
            Object k = Keys.of(p, keyFields);
            if (k != null) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** The rows among values that are a row or a list of rows. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rowsOf(Collection<Object> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object v : values) {
            if (v instanceof Map<?, ?> row) {
                out.add((Map<String, Object>) row);
            } else if (v instanceof List<?> list) {
                list.forEach(x -> {
                    if (x instanceof Map<?, ?> r) {
                        out.add((Map<String, Object>) r);
                    }
                });
            }
        }
        return out;
    }

    private GatewayException failure(RuntimeException e) {
        ctx.fail();
        return Errors.toGateway(e, ctx.requestId());
    }

    // ---- complete ----

    private ExecutionResult complete() {
        Map<String, Object> data = new LinkedHashMap<>();
        boolean nulled = false;
        for (FieldPlan root : roots) {
            if (root.introspection()) {
                continue;
            }
            if (mutation && !values.containsKey(root) && !failures.containsKey(root)) {
                data.put(root.out().key(), null);   // skipped after an earlier failure: no error of its own
                continue;
            }
            path.add(root.out().key());
            Object v = complete(root, root.out().type(), failures.containsKey(root) ? fail(root) : values.get(root));
            path.remove(path.size() - 1);
            nulled |= v == NULLED;
            data.put(root.out().key(), v == NULLED ? null : v);
        }
        return ExecutionResultImpl.newExecutionResult().data(nulled ? null : data).errors(errors).build();
    }

    /** The value of field {@code n} of the object {@code source} (a row, an aggregate's or a mutation's result). */
    private Object resolve(FieldPlan n, Map<?, ?> source) {
        resolver.source = source;
        return n.accept(resolver);
    }

    /** One per run, for every cell of the response: the object being completed is set before each field. */
    private final Resolver resolver = new Resolver();

    private final class Resolver implements FieldPlan.Visitor<Object> {
        private Map<?, ?> source;

        public Object typename(FieldPlan.Typename t) {
            return t.out().parentType();
        }

        public Object property(FieldPlan.Property p) {
            return source.get(p.out().name());
        }

        public Object nodeId(FieldPlan.NodeId n) {
            Object key = Keys.of(source, n.model().key());
            return key == null ? null : dev.modelgate.model.NodeIds.encode(n.model(), key);
        }

        public Object failed(FieldPlan.Failed f) {
            return fail(f);
        }

        public Object related(FieldPlan.Related r) {
            return levelValue(r, r.parentKey(), () -> Reads.orEmpty(r.relation(), null));
        }

        public Object relatedAggregates(FieldPlan.RelatedAggregates a) {
            return levelValue(a, a.parentKey(), () -> stages.reads().empty(a.aggregate()));
        }

        public Object sql(FieldPlan.Sql s) {
            return levelValue(s, s.parentKey(), () -> s.field().type().list() ? List.of() : null);
        }

        public Object relatedGroups(FieldPlan.RelatedGroups g) {
            return levelValue(g, g.parentKey(), List::of);
        }

        public Object groups(FieldPlan.Groups g) {
            return notOfAnObject(g);
        }

        public Object relatedConnection(FieldPlan.RelatedConnection c) {
            return levelValue(c, c.parentKey(), () -> connectionOf(c, List.of(), null));
        }

        /**
         * The value a level loaded for the current object's parent key: the level's error when its
         * statement failed, else what was loaded, else {@code none} (no key, or no related row).
         */
        private Object levelValue(FieldPlan f, List<dev.modelgate.model.Field> parentKey, java.util.function.Supplier<Object> none) {
            Object k = Keys.of(source, parentKey);
            if (k != null && failures.containsKey(f)) {
                return fail(f);
            }
            Object v = k == null ? null : loaded.get(f).get(k);
            return v != null ? v : none.get();
        }

        public Object connection(FieldPlan.Connection c) {
            return notOfAnObject(c);
        }

        public Object rows(FieldPlan.Rows r) {
            return notOfAnObject(r);
        }

        public Object aggregates(FieldPlan.Aggregates a) {
            return notOfAnObject(a);
        }

        public Object write(FieldPlan.Write w) {
            return notOfAnObject(w);
        }

        public Object introspection(FieldPlan.Introspection i) {
            return notOfAnObject(i);
        }
    }

    private static Object notOfAnObject(FieldPlan n) {
        throw new IllegalStateException("not a field of an object: " + n);
    }

    /** A field whose statement or plan failed, at the current path: its error, and a null. */
    private Object fail(FieldPlan n) {
        GatewayException g = n.planError() != null ? Errors.toGateway(n.planError(), ctx.requestId()) : failures.get(n);
        errors.add(Errors.error(g, locations(n), List.copyOf(path), ctx.requestId()));
        return NULLED;
    }

    /**
     * Completes a value against its type as graphql-java does. A position that ends up null
     * after an error (a failed field, a value its type cannot serialize, a null child in a
     * non-null position) is {@link #NULLED}: a nullable position absorbs it as null, a
     * non-null one passes it up. One error per origin, none for the positions it bubbles through.
     */
    private Object complete(FieldPlan n, GraphQLOutputType type, Object value) {
        boolean nonNull = type instanceof GraphQLNonNull;
        GraphQLOutputType t = nonNull ? (GraphQLOutputType) ((GraphQLNonNull) type).getWrappedType() : type;
        Object out;
        if (value == null || value == NULLED) {
            out = value;
        } else if (value instanceof dev.modelgate.db.Unreadable u) {
            LOG.warn("request {}: {}.{} at {}: {}", ctx.requestId(), n.out().parentType(), u.field(), path, u.reason());
            errors.add(Errors.error(new GatewayException(ErrorCode.INTERNAL_SERVER_ERROR, "the stored value of "
                    + n.out().parentType() + "." + u.field() + " cannot be read: " + u.reason()), locations(n), List.copyOf(path), ctx.requestId()));
            out = NULLED;
        } else if (t instanceof GraphQLList list) {
            out = completeList(n, (GraphQLOutputType) list.getWrappedType(), (List<?>) value);
        } else if (t instanceof GraphQLScalarType scalar) {
            out = serialize(n, () -> scalar.getCoercing().serialize(value, graphqlContext, locale));
        } else if (t instanceof GraphQLEnumType e) {
            out = serialize(n, () -> e.serialize(value, graphqlContext, locale));
        } else if ((t instanceof GraphQLObjectType || t instanceof graphql.schema.GraphQLInterfaceType) && value instanceof Map<?, ?> source) {
            out = completeObject(n, source);
        } else {
            out = serialize(n, () -> {
                throw new CoercingSerializeException("a " + value.getClass().getSimpleName() + " for type " + t);
            });
        }
        if (out == null && nonNull) {
            LOG.error("request {}: non-null field {}.{} is null at {}", ctx.requestId(), n.out().parentType(), n.out().name(), path);
            internalError();
            return NULLED;
        }
        if (out == NULLED) {
            return nonNull ? NULLED : null;
        }
        return out;
    }

    private Object completeList(FieldPlan n, GraphQLOutputType element, List<?> items) {
        List<Object> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            path.add(i);
            Object v = complete(n, element, items.get(i));
            path.remove(path.size() - 1);
            if (v == NULLED) {
                return NULLED;
            }
            out.add(v);
        }
        return out;
    }

    private Object completeObject(FieldPlan n, Map<?, ?> source) {
        List<FieldPlan> children = n.children();
        String[] keys = responseKeys.computeIfAbsent(n, Run::keysOf);
        Object[] out = new Object[keys.length];
        for (int i = 0; i < out.length; i++) {
            FieldPlan c = children.get(i);
            path.add(keys[i]);
            Object v = complete(c, c.out().type(), resolve(c, source));
            path.remove(path.size() - 1);
            if (v == NULLED) {
                return NULLED;
            }
            out[i] = v;
        }
        return new Row(keys, out);
    }

    /** The response keys of a field's selection, in order: one array shared by all its objects. */
    private static String[] keysOf(FieldPlan n) {
        String[] keys = new String[n.children().size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = n.children().get(i).out().key();
        }
        if (new java.util.HashSet<>(List.of(keys)).size() != keys.length) {   // the planner merges fields by response key
            throw new IllegalStateException("a response key twice in one selection: " + List.of(keys));
        }
        return keys;
    }

    private Object serialize(FieldPlan n, java.util.function.Supplier<Object> s) {
        try {
            return s.get();
        } catch (CoercingSerializeException e) {
            LOG.error("request {}: {}.{} at {} does not serialize: {}", ctx.requestId(), n.out().parentType(), n.out().name(), path, e.getMessage());
            internalError();
            return NULLED;
        }
    }

    /** As graphql-java reports a null in a non-null position or a value that does not serialize: path, no locations. */
    private void internalError() {
        errors.add(Errors.error(new GatewayException(ErrorCode.INTERNAL_SERVER_ERROR, "internal server error"), List.of(),
                List.copyOf(path), ctx.requestId()));
    }

    private static List<SourceLocation> locations(FieldPlan n) {
        SourceLocation l = n.out().location();
        return l == null ? List.of() : List.of(l);
    }
}
