package dev.modelgate.exec;

import dev.modelgate.error.ApiError;
import dev.modelgate.error.Errors;

import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;
import dev.modelgate.model.Relation;
import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphQLError;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.ExecutionContext;
import graphql.execution.ExecutionStrategyParameters;
import graphql.execution.MergedField;
import graphql.language.OperationDefinition;
import graphql.language.SourceLocation;
import graphql.normalized.ExecutableNormalizedField;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.schema.CoercingSerializeException;
import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import org.dataloader.DataLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a query operation level by level instead of field by field. graphql-java has parsed,
 * validated and limit-checked the document; this strategy takes its normalized form (fragments
 * merged, {@code @skip}/{@code @include} applied, arguments coerced) and, when every field in it
 * is a generated one, runs it in three steps:
 * <ol>
 *   <li>plan: every field's arguments become IR (a bad argument stops here, before any SQL);</li>
 *   <li>load: each root field runs its statement, then each relationship field of the document
 *       collects the keys of all its parent rows and loads them through one DataLoader dispatch:
 *       one statement per relationship level, as with graphql-java's per-level dispatch;</li>
 *   <li>complete: the response is built from the loaded rows in one pass, with graphql-java's
 *       semantics: scalars serialized by their type, a failed field nulled with one error at its
 *       path, a null in a non-null position bubbling to the nearest nullable parent.</li>
 * </ol>
 * The cost per response field is then a map lookup, not graphql-java's chain of futures and
 * parameter objects per field of every row. A document with anything else (an {@code @sql}
 * field, introspection, {@code @defer}) runs on graphql-java's own strategy, as do mutations.
 */
final class LevelExecution extends AsyncExecutionStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(LevelExecution.class);
    /** A value standing for "null here, and an error says why". */
    private static final Object NULLED = new Object();

    private final Fetchers fetchers;

    LevelExecution(Fetchers fetchers, DataFetcherExceptionHandler errors) {
        super(errors);
        this.fetchers = fetchers;
    }

    @Override
    public CompletableFuture<ExecutionResult> execute(ExecutionContext ec, ExecutionStrategyParameters parameters) {
        if (ec.getOperationDefinition().getOperation() != OperationDefinition.Operation.QUERY) {
            return super.execute(ec, parameters);
        }
        Run run;
        try {
            run = new Run(ec);
            run.plan();
        } catch (RuntimeException e) {
            // a field only graphql-java runs, or an argument error it reports at its own path (no SQL has run yet)
            return super.execute(ec, parameters);
        }
        run.ctx.ranByLevels();
        run.load();
        return CompletableFuture.completedFuture(run.complete());
    }

    /** How a field of the document gets its value. */
    private enum Kind { TYPENAME, PROPERTY, LIST, BY_ID, AGGREGATE, RELATION, RELATION_AGGREGATE }

    /** The document has a field this strategy does not run. */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** One field of the normalized document, and what loading found for it. */
    private static final class Node {
        final ExecutableNormalizedField field;
        final String key;
        final String name;
        final String parentType;
        final GraphQLOutputType type;
        final Kind kind;
        final Fetchers.Generated generated;
        final List<Node> children = new ArrayList<>();
        Object plan;                      // Select or Aggregate
        String parentKey;                 // relationship fields: the parent row's key field
        Object value;                     // root fields: their value
        Map<Object, Object> loaded;       // relationship fields: parent key → value
        GatewayException failure;

        Node(ExecutableNormalizedField field, String parentType, GraphQLOutputType type, Kind kind, Fetchers.Generated generated) {
            this.field = field;
            this.key = field.getResultKey();
            this.name = field.getName();
            this.parentType = parentType;
            this.type = type;
            this.kind = kind;
            this.generated = generated;
        }

        boolean rows() {
            return kind == Kind.LIST || kind == Kind.BY_ID || kind == Kind.RELATION;
        }
    }

    /** One query operation being run. */
    private final class Run {
        private final ExecutionContext ec;
        private final GraphQLSchema schema;
        private final ExecutableNormalizedOperation operation;
        private final RequestContext ctx;
        private final Map<String, Object> variables;
        private final List<Node> roots = new ArrayList<>();
        private final List<GraphQLError> errors = new ArrayList<>();
        private final List<Object> path = new ArrayList<>();

        Run(ExecutionContext ec) {
            this.ec = ec;
            this.schema = ec.getGraphQLSchema();
            this.ctx = ec.getGraphQLContext().get(RequestContext.class);
            if (ctx == null) {
                throw new Unsupported();
            }
            this.operation = ec.getNormalizedQueryTree().get();
            this.variables = ec.getCoercedVariables().toMap();
            for (ExecutableNormalizedField f : operation.getTopLevelFields()) {
                Node n = node(f, null);
                if (n.kind == Kind.PROPERTY || n.kind == Kind.RELATION || n.kind == Kind.RELATION_AGGREGATE) {
                    throw new Unsupported();
                }
                roots.add(n);
            }
        }

        private Node node(ExecutableNormalizedField f, Node parent) {
            if (!f.getDeferredExecutions().isEmpty() || f.getObjectTypeNames().size() != 1) {
                throw new Unsupported();
            }
            String typeName = f.getSingleObjectTypeName();
            if (f.getName().equals("__typename")) {
                return new Node(f, typeName, GraphQLNonNull.nonNull(graphql.Scalars.GraphQLString), Kind.TYPENAME, null);
            }
            GraphQLObjectType owner = schema.getObjectType(typeName);
            GraphQLFieldDefinition def = owner == null || f.getName().startsWith("__") ? null : owner.getFieldDefinition(f.getName());
            if (def == null) {
                throw new Unsupported();
            }
            DataFetcher<?> fetcher = schema.getCodeRegistry().getDataFetcher(owner, def);
            Node n;
            if (fetcher instanceof Fetchers.Generated g) {
                n = new Node(f, typeName, def.getType(), Kind.valueOf(g.kind().name()), g);
                boolean nested = n.kind == Kind.RELATION || n.kind == Kind.RELATION_AGGREGATE;
                if (nested != (parent != null) || nested && !parent.rows()) {
                    throw new Unsupported();
                }
            } else if (parent != null && !schema.getCodeRegistry().hasDataFetcher(FieldCoordinates.coordinates(owner, def))) {
                n = new Node(f, typeName, def.getType(), Kind.PROPERTY, null);   // a column, or a part of an aggregate's result
            } else {
                throw new Unsupported();
            }
            for (ExecutableNormalizedField child : f.getChildren()) {
                n.children.add(node(child, n));
            }
            return n;
        }

        // ---- plan ----

        void plan() {
            for (Node root : roots) {
                plan(root);
            }
        }

        private void plan(Node n) {
            if (n.generated != null) {
                FieldArgs args = new FieldArgs(n.field.getResolvedArguments(), n.field.getAstArguments(), variables);
                var m = n.generated.model();
                n.plan = switch (n.kind) {
                    case LIST -> fetchers.select(ctx, m, args, true);
                    case BY_ID -> fetchers.byId(ctx, m, args);
                    case RELATION -> fetchers.select(ctx, m, args, false);
                    case AGGREGATE, RELATION_AGGREGATE -> fetchers.aggregate(ctx, m, args, selected(n));
                    default -> throw new IllegalStateException(n.kind.name());
                };
                if (n.generated.relation() != null) {
                    n.parentKey = fetchers.parentKey(n.generated.relation()).name();
                }
            }
            for (Node c : n.children) {
                plan(c);
            }
        }

        /** An aggregate field's selection: count, sum, … with the model fields under each. */
        private Map<String, List<String>> selected(Node n) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (Node c : n.children) {
                List<String> sub = out.computeIfAbsent(c.name, k -> new ArrayList<>());
                c.children.forEach(g -> sub.add(g.name));
            }
            return out;
        }

        // ---- load ----

        void load() {
            for (Node root : roots) {
                try {
                    root.value = switch (root.kind) {
                        case TYPENAME -> root.parentType;
                        case LIST -> fetchers.rows(ctx, (dev.modelgate.ir.Select) root.plan);
                        case BY_ID -> fetchers.one(ctx, (dev.modelgate.ir.Select) root.plan);
                        case AGGREGATE -> fetchers.aggregateValue(ctx, (dev.modelgate.ir.Aggregate) root.plan);
                        default -> throw new IllegalStateException(root.kind.name());
                    };
                } catch (RuntimeException e) {
                    root.failure = failure(e);
                    continue;
                }
                if (root.rows()) {
                    loadChildren(root, rowsOf(List.of(root.value == null ? List.of() : root.value)));
                }
            }
        }

        /** Loads each relationship field under {@code n} for all of {@code parents} at once, then the level below. */
        private void loadChildren(Node n, List<Map<String, Object>> parents) {
            for (Node c : n.children) {
                if (c.kind != Kind.RELATION && c.kind != Kind.RELATION_AGGREGATE) {
                    continue;
                }
                Set<Object> keys = new LinkedHashSet<>();
                for (Map<String, Object> p : parents) {
                    Object k = p.get(c.parentKey);
                    if (k != null) {
                        keys.add(k);
                    }
                }
                c.loaded = new HashMap<>();
                if (keys.isEmpty()) {
                    continue;
                }
                Relation r = c.generated.relation();
                DataLoader<Object, Object> loader = c.kind == Kind.RELATION
                        ? fetchers.relationLoader(ctx, r, (dev.modelgate.ir.Select) c.plan)
                        : fetchers.aggregateLoader(ctx, r, (dev.modelgate.ir.Aggregate) c.plan);
                List<Object> ordered = new ArrayList<>(keys);
                try {
                    CompletableFuture<List<Object>> values = loader.loadMany(ordered);
                    loader.dispatch();
                    List<Object> vs = values.join();
                    for (int i = 0; i < ordered.size(); i++) {
                        if (vs.get(i) != null) {
                            c.loaded.put(ordered.get(i), vs.get(i));
                        }
                    }
                } catch (RuntimeException e) {
                    c.failure = failure(e);
                    continue;
                }
                if (c.kind == Kind.RELATION) {
                    loadChildren(c, rowsOf(c.loaded.values()));
                }
            }
        }

        /** The rows among values that are a row or a list of rows. */
        @SuppressWarnings("unchecked")
        private List<Map<String, Object>> rowsOf(java.util.Collection<Object> values) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object v : values) {
                if (v instanceof Map<?, ?> row) {
                    out.add((Map<String, Object>) row);
                } else if (v instanceof List<?> list) {
                    list.forEach(x -> out.add((Map<String, Object>) x));
                }
            }
            return out;
        }

        private GatewayException failure(RuntimeException e) {
            ctx.fail();
            return Errors.toGateway(e, ctx.requestId());
        }

        // ---- complete ----

        ExecutionResult complete() {
            Map<String, Object> data = new LinkedHashMap<>();
            boolean nulled = false;
            for (Node root : roots) {
                path.add(root.key);
                Object v = complete(root, root.type, root.failure == null ? root.value : fail(root));
                path.remove(path.size() - 1);
                nulled |= v == NULLED;
                data.put(root.key, v == NULLED ? null : v);
            }
            return ExecutionResultImpl.newExecutionResult().data(nulled ? null : data).errors(errors).build();
        }

        /** The value of field {@code n} of the object {@code source} (a row or an aggregate's result). */
        private Object resolve(Node n, Map<?, ?> source) {
            switch (n.kind) {
                case TYPENAME:
                    return n.parentType;
                case PROPERTY:
                    return source.get(n.name);
                case RELATION: {
                    Object k = source.get(n.parentKey);
                    if (k == null) {
                        return Fetchers.orEmpty(n.generated.relation(), null);
                    }
                    return n.failure != null ? fail(n) : Fetchers.orEmpty(n.generated.relation(), n.loaded.get(k));
                }
                case RELATION_AGGREGATE: {
                    Object k = source.get(n.parentKey);
                    if (k != null && n.failure != null) {
                        return fail(n);
                    }
                    Object v = k == null ? null : n.loaded.get(k);
                    return v != null ? v : fetchers.emptyAggregate((dev.modelgate.ir.Aggregate) n.plan);
                }
                default:
                    throw new IllegalStateException(n.kind.name());
            }
        }

        /** A field whose statement failed, at the current path: its error, and a null. */
        private Object fail(Node n) {
            GatewayException g = n.failure;
            errors.add(new ApiError(g.getMessage(), locations(n), List.copyOf(path), Errors.extensions(g.code(), ctx.requestId())));
            return NULLED;
        }

        /**
         * Completes a value against its type as graphql-java does. A position that ends up null
         * after an error (a failed field, a value its type cannot serialize, a null child in a
         * non-null position) is {@link #NULLED}: a nullable position absorbs it as null, a
         * non-null one passes it up. One error per origin, none for the positions it bubbles through.
         */
        private Object complete(Node n, GraphQLOutputType type, Object value) {
            boolean nonNull = type instanceof GraphQLNonNull;
            GraphQLOutputType t = nonNull ? (GraphQLOutputType) ((GraphQLNonNull) type).getWrappedType() : type;
            Object out;
            if (value == null || value == NULLED) {
                out = value;
            } else if (t instanceof GraphQLList list) {
                out = completeList(n, (GraphQLOutputType) list.getWrappedType(), (List<?>) value);
            } else if (t instanceof GraphQLScalarType scalar) {
                out = serialize(n, () -> scalar.getCoercing().serialize(value, ec.getGraphQLContext(), ec.getLocale()));
            } else if (t instanceof GraphQLEnumType e) {
                out = serialize(n, () -> e.serialize(value, ec.getGraphQLContext(), ec.getLocale()));
            } else if (t instanceof GraphQLObjectType && value instanceof Map<?, ?> source) {
                out = completeObject(n, source);
            } else {
                out = serialize(n, () -> {
                    throw new CoercingSerializeException("a " + value.getClass().getSimpleName() + " for type " + t);
                });
            }
            if (out == null && nonNull) {
                LOG.error("request {}: non-null field {}.{} is null at {}", ctx.requestId(), n.parentType, n.name, path);
                internalError(n);
                return NULLED;
            }
            if (out == NULLED) {
                return nonNull ? NULLED : null;
            }
            return out;
        }

        private Object completeList(Node n, GraphQLOutputType element, List<?> items) {
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

        private Object completeObject(Node n, Map<?, ?> source) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Node c : n.children) {
                path.add(c.key);
                Object v = complete(c, c.type, resolve(c, source));
                path.remove(path.size() - 1);
                if (v == NULLED) {
                    return NULLED;
                }
                out.put(c.key, v);
            }
            return out;
        }

        private Object serialize(Node n, java.util.function.Supplier<Object> s) {
            try {
                return s.get();
            } catch (CoercingSerializeException e) {
                LOG.error("request {}: {}.{} at {} does not serialize: {}", ctx.requestId(), n.parentType, n.name, path, e.getMessage());
                internalError(n);
                return NULLED;
            }
        }

        /** As graphql-java reports a null in a non-null position or a value that does not serialize: path, no locations. */
        private void internalError(Node n) {
            errors.add(new ApiError("internal server error", List.of(), List.copyOf(path),
                    Errors.extensions(ErrorCode.INTERNAL_SERVER_ERROR, ctx.requestId())));
        }

        private List<SourceLocation> locations(Node n) {
            MergedField f = operation.getMergedField(n.field);
            SourceLocation l = f == null ? null : f.getSingleField().getSourceLocation();
            return l == null ? List.of() : List.of(l);
        }
    }
}
