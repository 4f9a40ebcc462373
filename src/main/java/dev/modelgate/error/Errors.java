package dev.modelgate.error;


import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;
import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.InvalidSyntaxError;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.validation.ValidationError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place that turns failures into GraphQL errors: every error gets
 * {@code extensions.code} and {@code extensions.requestId}; a message that is not known to
 * be safe is replaced by a generic one, and the detail goes to the log under the request id.
 */
public final class Errors implements DataFetcherExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    /** The key under which a request's id is in graphql-java's context. */
    public static final String REQUEST_ID = "modelgate.requestId";

    /**
     * A new request id: a random (version 4) UUID from a thread-local generator. It names a
     * request in the log and in error answers; it guards nothing, so it needs no secure random,
     * whose shared generator each request would otherwise wait on.
     */
    public static String newRequestId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return new java.util.UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    /** graphql-java runs only introspection fields itself; an exception there is mapped as any other. */
    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(DataFetcherExceptionHandlerParameters p) {
        String requestId = p.getDataFetchingEnvironment().getGraphQlContext().getOrDefault(REQUEST_ID, "-");
        GatewayException g = toGateway(p.getException(), requestId);
        GraphQLError error = error(g, p.getSourceLocation() == null ? List.of() : List.of(p.getSourceLocation()),
                p.getPath().toList(), requestId);
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error).build());
    }

    /** The GraphQL error of a client-safe exception, at a place in the document and the response. */
    public static GraphQLError error(GatewayException g, List<graphql.language.SourceLocation> locations, List<Object> path, String requestId) {
        return new ApiError(g.getMessage(), locations, path, extensions(g.code(), requestId));
    }

    /** Maps any throwable to a client-safe exception, logging what the client does not see. */
    public static GatewayException toGateway(Throwable t, String requestId) {
        Throwable cause = unwrap(t);
        GatewayException g = ErrorMapper.map(cause);
        if (g.code() == ErrorCode.INTERNAL_SERVER_ERROR) {
            LOG.error("request {}: {} ({})", requestId, g.code(), g.getMessage(), cause);
        } else if (g.getCause() != null) {
            Throwable root = ErrorMapper.rootCause(g);
            LOG.warn("request {}: {}: {} [{}]", requestId, g.code(), g.getMessage(), root.getMessage());
        }
        return g;
    }

    /**
     * Gives an error produced by graphql-java itself (parse, validation, coercion) its code; a
     * validation message is reworded against {@code schema} (the one the request was validated on).
     */
    public static GraphQLError withCode(GraphQLError e, String requestId, graphql.schema.GraphQLSchema schema) {
        if (e instanceof ApiError) {
            return e;
        }
        ErrorCode code;
        if (e instanceof InvalidSyntaxError) {
            code = tooBig(e.getMessage()) ? ErrorCode.QUERY_TOO_COMPLEX : ErrorCode.GRAPHQL_PARSE_FAILED;
        } else if (e instanceof ValidationError || e instanceof graphql.introspection.IntrospectionDisabledError
                || e.getErrorType() == ErrorType.OperationNotSupported) {
            code = ErrorCode.GRAPHQL_VALIDATION_FAILED;
        } else if (e.getErrorType() == ErrorType.ValidationError) {
            code = ErrorCode.BAD_USER_INPUT;
        } else {
            code = ErrorCode.INTERNAL_SERVER_ERROR;
        }
        String message = code == ErrorCode.INTERNAL_SERVER_ERROR ? "internal server error"
                : code == ErrorCode.GRAPHQL_VALIDATION_FAILED || code == ErrorCode.BAD_USER_INPUT
                ? ValidationMessages.reword(e.getMessage(), schema) : e.getMessage();
        if (code == ErrorCode.INTERNAL_SERVER_ERROR) {
            LOG.error("request {}: {}", requestId, e.getMessage());
        }
        return new ApiError(message, e.getLocations(), e.getPath(), extensions(code, requestId));
    }

    /** The parser's own guards (tokens, characters, nesting) stop a document before it is read. */
    private static boolean tooBig(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("parsing has been cancelled") || m.contains("more than") && (m.contains("tokens") || m.contains("characters"))
                || m.contains("too deep");
    }

    public static Map<String, Object> extensions(ErrorCode code, String requestId) {
        Map<String, Object> ext = new LinkedHashMap<>();
        ext.put("code", code.name());
        ext.put("requestId", requestId);
        var span = io.opentelemetry.api.trace.Span.current().getSpanContext();
        if (span.isValid()) {   // tracing is on: the error names the trace to look up
            ext.put("traceId", span.getTraceId());
        }
        return ext;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
