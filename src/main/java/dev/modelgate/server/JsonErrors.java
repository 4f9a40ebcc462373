package dev.modelgate.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.Errors;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Jetty's own refusals, before a request reaches Javalin (a header block or a URL too long, a
 * request that does not parse), in the GraphQL-over-HTTP error shape instead of Jetty's HTML
 * page: {@code {"errors": [{"message", "extensions": {"code", "requestId"}}]}}.
 */
final class JsonErrors extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The contract code of an HTTP refusal. */
    static ErrorCode codeOf(int status) {
        return switch (status) {
            case 413, 414, 431 -> ErrorCode.QUERY_TOO_COMPLEX;   // a size limit
            case 503 -> ErrorCode.OVERLOADED;
            default -> status >= 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_USER_INPUT;
        };
    }

    /** The message of an HTTP refusal: what the client can change. */
    static String messageOf(int status) {
        return switch (status) {
            case 413 -> "the request body is larger than the server accepts (server.maxBodyBytes)";
            case 414 -> "the request URL is longer than the server accepts; send the query by POST";
            case 431 -> "the request headers are larger than the server accepts";
            case 404 -> "no such endpoint";
            case 405 -> "the method is not allowed here";
            default -> status >= 500 ? "internal server error" : "the request is malformed";
        };
    }

    static byte[] body(int status) {
        try {
            return JSON.writeValueAsBytes(Map.of("errors", List.of(Map.of("message", messageOf(status),
                    "extensions", Errors.extensions(codeOf(status), Errors.newRequestId())))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        return ByteBuffer.wrap(body(status));
    }
}
