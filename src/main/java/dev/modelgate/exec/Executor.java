package dev.modelgate.exec;

import dev.modelgate.error.Errors;
import dev.modelgate.error.GatewayException;
import dev.modelgate.ir.FieldPlan;
import dev.modelgate.ir.Planner;
import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphQLError;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.ExecutionContext;
import graphql.execution.ExecutionStrategyParameters;
import graphql.execution.MergedField;
import graphql.execution.MergedSelectionSet;
import graphql.execution.ValuesResolver;
import graphql.language.Argument;
import graphql.language.Directive;
import graphql.language.Node;
import graphql.language.OperationDefinition;
import graphql.language.VariableReference;
import graphql.schema.GraphQLFieldDefinition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one executor of generated and hand-written fields, queries and mutations alike.
 * graphql-java has parsed, validated and limit-checked the document; here the operation is
 * planned ({@link Planner}: the shape once per document and role, the arguments per request),
 * run level by level ({@link Run}: one statement per root field and per relationship level,
 * mutation fields in order inside the operation's transaction) and completed in one pass.
 * Introspection fields are left to graphql-java's own strategy, and merged in.
 */
final class Executor extends AsyncExecutionStrategy {
    private static final int MAX_SHAPES = 1000;

    private final Planner planner;
    private final Run.Stages stages;
    private final Map<String, Cached> shapes = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong shaped = new java.util.concurrent.atomic.AtomicLong();

    Executor(Planner planner, Run.Stages stages, DataFetcherExceptionHandler errors) {
        super(errors);
        this.planner = planner;
        this.stages = stages;
    }

    /** A document's shape, or null where {@code @skip}/{@code @include} read variables (then it is shaped per request). */
    private record Cached(List<Planner.Shape> roots) {
    }

    @Override
    public CompletableFuture<ExecutionResult> execute(ExecutionContext ec, ExecutionStrategyParameters parameters) {
        RequestContext ctx = ec.getGraphQLContext().get(RequestContext.class);
        if (ctx == null) {
            throw new IllegalStateException("a request runs with its RequestContext");
        }
        if (ec.getOperationDefinition().getOperation() == OperationDefinition.Operation.SUBSCRIPTION
                && !Boolean.TRUE.equals(ec.getGraphQLContext().get(Gateway.LIVE))) {
            GatewayException g = GatewayException.badInput("a subscription is served over a WebSocket (graphql-transport-ws) on /graphql,"
                    + " not by a single HTTP request; send it as a query to get the current result once");
            return CompletableFuture.completedFuture(ExecutionResultImpl.newExecutionResult()
                    .addError(Errors.error(g, List.of(), List.of(), ctx.requestId())).build());
        }
        List<FieldPlan> plan;
        try {
            plan = planner.bind(shape(ec), arguments(ec), ctx.access());
        } catch (GatewayException e) {
            GatewayException g = Errors.toGateway(e, ctx.requestId());
            ctx.fail();
            return CompletableFuture.completedFuture(ExecutionResultImpl.newExecutionResult()
                    .addError(Errors.error(g, List.of(), List.of(), ctx.requestId())).build());
        }
        boolean mutation = ec.getOperationDefinition().getOperation() == OperationDefinition.Operation.MUTATION;
        Run run = new Run(stages, ec.getGraphQLContext(), ec.getLocale(), ctx, plan, mutation);
        Batch batch = ec.getGraphQLContext().get(Batch.class);   // run with other requests' plans (a live query's variable sets)
        CompletableFuture<ExecutionResult> ours = batch != null && !mutation ? batch.add(run) : CompletableFuture.completedFuture(run.execute());
        List<String> introspection = plan.stream().filter(FieldPlan::introspection).map(p -> p.out().key()).toList();
        if (introspection.isEmpty()) {
            return ours;
        }
        return ours.thenCompose(o -> super.execute(ec, only(parameters, introspection)).thenApply(theirs -> merge(plan, o, theirs)));
    }

    /** The shape of the request's operation, from the cache where it does not depend on variables. */
    private List<Planner.Shape> shape(ExecutionContext ec) {
        String key = ec.getExecutionInput().getQuery() + '\u0000' + ec.getOperationDefinition().getName();
        Cached cached = shapes.get(key);
        if (cached == null) {
            List<Planner.Shape> roots = shapeNow(ec);
            cached = new Cached(conditionalOnVariables(ec) ? null : roots);
            if (shapes.size() >= MAX_SHAPES) {
                shapes.clear();
            }
            shapes.put(key, cached);
            return roots;
        }
        return cached.roots() != null ? cached.roots() : shapeNow(ec);
    }

    private List<Planner.Shape> shapeNow(ExecutionContext ec) {
        shaped.incrementAndGet();
        return planner.shape(ec.getNormalizedQueryTree().get(), ec.getGraphQLSchema());
    }

    /** How many times an operation was shaped (graphql-java's normalized operation built and read), for tests. */
    long shaped() {
        return shaped.get();
    }

    /** Whether a {@code @skip} or {@code @include} of the document reads a variable, so its fields depend on the request. */
    private static boolean conditionalOnVariables(ExecutionContext ec) {
        List<Node<?>> roots = new ArrayList<>(ec.getFragmentsByName().values());
        roots.add(ec.getOperationDefinition());
        return roots.stream().anyMatch(Executor::conditional);
    }

    private static boolean conditional(Node<?> node) {
        if (node instanceof Directive d && (d.getName().equals("skip") || d.getName().equals("include"))
                && d.getArguments().stream().anyMatch(a -> a.getValue() instanceof VariableReference)) {
            return true;
        }
        for (Node<?> child : node.getChildren()) {
            if (conditional(child)) {
                return true;
            }
        }
        return false;
    }

    /** The request's argument values, coerced by graphql-java as it coerces a field's arguments. */
    private static Planner.Arguments arguments(ExecutionContext ec) {
        Map<String, Object> variables = ec.getCoercedVariables().toMap();
        return new Planner.Arguments() {
            @Override
            public Map<String, Object> values(GraphQLFieldDefinition definition, List<Argument> arguments) {
                return ValuesResolver.getArgumentValues(ec.getGraphQLSchema().getCodeRegistry(), definition.getArguments(),
                        arguments, ec.getCoercedVariables(), ec.getGraphQLContext(), ec.getLocale());
            }

            @Override
            public Map<String, Object> variables() {
                return variables;
            }
        };
    }

    private static ExecutionStrategyParameters only(ExecutionStrategyParameters parameters, List<String> keys) {
        Map<String, MergedField> fields = new LinkedHashMap<>();
        keys.forEach(k -> fields.put(k, parameters.getFields().getSubField(k)));
        MergedSelectionSet subset = MergedSelectionSet.newMergedSelectionSet().subFields(fields).build();
        return parameters.transform(b -> b.fields(subset));
    }

    /** Our fields and graphql-java's introspection fields, in the document's order. */
    @SuppressWarnings("unchecked")
    private static ExecutionResult merge(List<FieldPlan> plan, ExecutionResult ours, ExecutionResult theirs) {
        List<GraphQLError> errors = new ArrayList<>(ours.getErrors());
        errors.addAll(theirs.getErrors());
        Map<String, Object> a = ours.getData();
        Map<String, Object> b = theirs.getData();
        if (a == null || b == null) {
            return ExecutionResultImpl.newExecutionResult().data(null).errors(errors).build();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (FieldPlan p : plan) {
            String k = p.out().key();
            data.put(k, p.introspection() ? b.get(k) : a.get(k));
        }
        return ExecutionResultImpl.newExecutionResult().data(data).errors(errors).build();
    }
}
