package dev.modelgate.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.error.ErrorCode;
import dev.modelgate.exec.Errors;
import dev.modelgate.exec.Gateway;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Serves a gateway over HTTP: /graphql (POST and GET), /schema.graphql, /health. */
public final class HttpServer {
    static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Gateway gateway;

    private HttpServer(Gateway gateway) {
        this.gateway = gateway;
    }

    /** Creates (does not start) the Javalin app for a gateway. */
    public static Javalin create(Gateway gateway) {
        HttpServer s = new HttpServer(gateway);
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = 1024 * 1024;
            cfg.routes.post("/graphql", s::post);
            cfg.routes.get("/graphql", s::get);
            cfg.routes.get("/schema.graphql", ctx -> ctx.contentType("text/plain; charset=utf-8").result(gateway.sdl()));
            cfg.routes.get("/health", s::health);
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                String id = UUID.randomUUID().toString();
                LOG.error("request {}: unhandled", id, e);
                s.respond(ctx, 500, errorBody(ErrorCode.INTERNAL_SERVER_ERROR, "internal server error", id));
            });
        });
    }

    private void post(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            respond(ctx, 400, badRequest("the request body is not valid JSON"));
            return;
        }
        if (body == null || !body.isObject()) {
            respond(ctx, 400, badRequest("the request body must be a JSON object with a \"query\" string"));
            return;
        }
        JsonNode query = body.get("query");
        JsonNode variables = body.get("variables");
        JsonNode operationName = body.get("operationName");
        String problem = shapeProblem(query, variables, operationName);
        if (problem != null) {
            respond(ctx, 400, badRequest(problem));
            return;
        }
        run(ctx, new Gateway.Request(query.asText(), toMap(variables), textOrNull(operationName)));
    }

    private void get(Context ctx) {
        String query = ctx.queryParam("query");
        if (query == null) {
            respond(ctx, 400, badRequest("GET /graphql needs a query parameter"));
            return;
        }
        String operationName = ctx.queryParam("operationName");
        String vars = ctx.queryParam("variables");
        JsonNode variables = null;
        if (vars != null && !vars.isEmpty()) {
            try {
                variables = JSON.readTree(vars);
            } catch (JsonProcessingException e) {
                respond(ctx, 400, badRequest("the variables parameter is not valid JSON"));
                return;
            }
        }
        if (variables != null && !variables.isObject() && !variables.isNull()) {
            respond(ctx, 400, badRequest("variables must be a JSON object"));
            return;
        }
        if (Gateway.isMutation(query, operationName)) {
            ctx.header("Allow", "POST");
            respond(ctx, 405, errorBody(ErrorCode.BAD_USER_INPUT, "mutations are not allowed over GET; use POST", UUID.randomUUID().toString()));
            return;
        }
        run(ctx, new Gateway.Request(query, toMap(variables), operationName));
    }

    private void run(Context ctx, Gateway.Request request) {
        Map<String, Object> result = gateway.execute(request);
        boolean graphqlResponse = acceptsGraphqlResponse(ctx);
        int status = 200;
        if (graphqlResponse && !result.containsKey("data")) {
            status = 400;   // the request failed before execution (parse, validation, variables)
        }
        respond(ctx, status, result);
    }

    private void health(Context ctx) {
        boolean up = gateway.database().isUp();
        respond(ctx, up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN", "database", up ? "UP" : "DOWN"));
    }

    private void respond(Context ctx, int status, Object body) {
        ctx.status(status);
        String type = ctx.path().equals("/graphql") && acceptsGraphqlResponse(ctx) ? GRAPHQL_RESPONSE : "application/json";
        ctx.contentType(type + "; charset=utf-8");
        try {
            ctx.result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean acceptsGraphqlResponse(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains(GRAPHQL_RESPONSE);
    }

    private static String shapeProblem(JsonNode query, JsonNode variables, JsonNode operationName) {
        if (query == null || !query.isTextual()) {
            return "the request needs a \"query\" string";
        }
        if (variables != null && !variables.isNull() && !variables.isObject()) {
            return "\"variables\" must be a JSON object";
        }
        if (operationName != null && !operationName.isNull() && !operationName.isTextual()) {
            return "\"operationName\" must be a string";
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode variables) {
        if (variables == null || variables.isNull()) {
            return Map.of();
        }
        return JSON.convertValue(variables, Map.class);
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Map<String, Object> badRequest(String message) {
        return errorBody(ErrorCode.BAD_USER_INPUT, message, UUID.randomUUID().toString());
    }

    static Map<String, Object> errorBody(ErrorCode code, String message, String requestId) {
        return Map.of("errors", List.of(Map.of("message", message, "extensions", Errors.extensions(code, requestId))));
    }
}
