package dev.modelgate.exec;

import dev.modelgate.error.ApiError;
import dev.modelgate.error.Errors;

import dev.modelgate.config.Config;
import dev.modelgate.error.ErrorCode;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.Field;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's one instrumentation (one, so graphql-java adds nothing per field): it tells
 * the request context the operation type, and refuses an operation before any SQL runs when it is deeper, wider or more aliased than the
 * limits allow ({@code QUERY_TOO_COMPLEX}). Fragments are expanded: each use of a fragment
 * counts its fields again, so fragment fan-out cannot hide a field flood. Each fragment is
 * measured once, so measuring is linear in the document. Introspection ({@code __schema},
 * {@code __type}) is not counted: it reads no rows and can be switched off on its own.
 */
final class QueryLimits extends SimplePerformantInstrumentation {
    private final Config.Limits limits;

    QueryLimits(Config.Limits limits) {
        this.limits = limits;
    }

    /** One walk over an operation: its schema and fragments. */
    private record Walk(ExecutionContext ctx, Map<String, Size> memo) {
    }

    /** Fields, aliases and depth of a selection set. */
    private record Size(long fields, long aliases, int depth) {
        static final Size EMPTY = new Size(0, 0, 0);

        Size plus(Size o) {
            return new Size(fields + o.fields, aliases + o.aliases, Math.max(depth, o.depth));
        }
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                         InstrumentationState state) {
        ExecutionContext ctx = parameters.getExecutionContext();
        RequestContext rc = ctx.getGraphQLContext().get(RequestContext.class);
        if (rc != null) {   // the log line and metrics name the operation type, refused or not
            rc.operation(ctx.getOperationDefinition().getOperation().name().toLowerCase(java.util.Locale.ROOT));
        }
        long operations = ctx.getDocument().getDefinitionsOfType(OperationDefinition.class).size();
        if (operations > limits.maxOperations) {
            throw refuse(ctx, "the document defines " + operations + " operations, more than the "
                    + limits.maxOperations + " allowed (limits.maxOperations)");
        }
        GraphQLObjectType root = switch (ctx.getOperationDefinition().getOperation()) {
            case MUTATION -> ctx.getGraphQLSchema().getMutationType();
            case SUBSCRIPTION -> ctx.getGraphQLSchema().getSubscriptionType();
            default -> ctx.getGraphQLSchema().getQueryType();
        };
        Walk walk = new Walk(ctx, new HashMap<>());
        Size size = measure(ctx.getOperationDefinition().getSelectionSet(), root, walk);
        if (size.depth > limits.maxDepth) {
            throw refuse(ctx, "the query is " + size.depth + " levels deep, more than the " + limits.maxDepth
                    + " allowed (limits.maxDepth)");
        }
        if (size.fields > limits.maxFields) {
            throw refuse(ctx, "the query asks for " + size.fields + " fields, more than the " + limits.maxFields
                    + " allowed (limits.maxFields)");
        }
        if (size.aliases > limits.maxAliases) {
            throw refuse(ctx, "the query uses " + size.aliases + " aliases, more than the " + limits.maxAliases
                    + " allowed (limits.maxAliases)");
        }
        return super.beginExecuteOperation(parameters, state);
    }

    /** Measures a selection set on {@code type}. */
    private Size measure(SelectionSet set, GraphQLType type, Walk walk) {
        Size total = Size.EMPTY;
        if (set == null) {
            return total;
        }
        for (Selection<?> s : set.getSelections()) {
            if (s instanceof Field f) {
                if (f.getName().equals("__schema") || f.getName().equals("__type")) {
                    continue;
                }
                GraphQLType fieldType = null;
                if (type instanceof GraphQLFieldsContainer c && c.getFieldDefinition(f.getName()) != null) {
                    GraphQLFieldDefinition def = c.getFieldDefinition(f.getName());
                    fieldType = GraphQLTypeUtil.unwrapAll(def.getType());
                }
                Size inner = measure(f.getSelectionSet(), fieldType, walk);
                total = total.plus(new Size(inner.fields + 1, inner.aliases + (f.getAlias() == null ? 0 : 1), inner.depth + 1));
            } else if (s instanceof InlineFragment i) {
                GraphQLType on = i.getTypeCondition() == null ? type : walk.ctx.getGraphQLSchema().getType(i.getTypeCondition().getName());
                total = total.plus(measure(i.getSelectionSet(), on, walk));
            } else if (s instanceof FragmentSpread spread) {
                Size known = walk.memo.get(spread.getName());
                if (known == null) {
                    FragmentDefinition def = walk.ctx.getFragmentsByName().get(spread.getName());
                    walk.memo.put(spread.getName(), Size.EMPTY);   // validation has refused cycles; this only guards
                    known = def == null ? Size.EMPTY
                            : measure(def.getSelectionSet(), walk.ctx.getGraphQLSchema().getType(def.getTypeCondition().getName()), walk);
                    walk.memo.put(spread.getName(), known);
                }
                total = total.plus(known);
            }
        }
        return total;
    }


    private static AbortExecutionException refuse(ExecutionContext ctx, String message) {
        RequestContext rc = ctx.getGraphQLContext().get(RequestContext.class);
        String requestId = rc == null ? "-" : rc.requestId();
        GraphQLError error = new ApiError(message, List.of(), List.of(), Errors.extensions(ErrorCode.QUERY_TOO_COMPLEX, requestId));
        return new AbortExecutionException(List.of(error));
    }
}
