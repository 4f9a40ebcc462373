package dev.modelgate.server;

import dev.modelgate.error.Errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.auth.Authenticator;
import dev.modelgate.auth.Principal;
import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;
import dev.modelgate.exec.Gateway;
import dev.modelgate.config.Config;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a gateway over HTTP (GraphQL over HTTP): /graphql (POST and GET), the GraphiQL
 * explorer at /graphiql from the jar's own assets, /schema.graphql, /health and /metrics.
 * Handles CORS, logs one line per request, and drains requests in flight when stopping.
 */
public final class HttpServer {
    static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** The request log, one line per request ({@code server.logRequests}); its own name, to route or silence it in logback.xml. */
    private static final Logger REQUESTS = LoggerFactory.getLogger("modelgate.requests");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COUNTED = "modelgate.inFlight";

    private final Gateway gateway;
    private final Config.Server settings;
    private final PrometheusMeterRegistry metrics;
    private final Authenticator auth;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;
    private Javalin app;
    private dev.modelgate.exec.LiveQueries live;
    private GraphqlWs ws;
    private GraphqlSse sse;
    private volatile Documents documents = new Documents(null);
    private RateLimits rates;

    private HttpServer(Gateway gateway, Config.Server settings, PrometheusMeterRegistry metrics, Authenticator auth) {
        this.gateway = gateway;
        this.settings = settings;
        this.metrics = metrics;
        this.auth = auth;
    }

    /** Creates (does not start) the server for a gateway, with default settings and no /metrics. */
    public static HttpServer create(Gateway gateway) {
        return create(gateway, new Config.Server(), null);
    }

    /** Creates (does not start) the server; {@code metrics} (may be null) is the registry /metrics shows. */
    public static HttpServer create(Gateway gateway, Config.Server settings, PrometheusMeterRegistry metrics) {
        return create(gateway, settings, metrics, Authenticator.none());
    }

    /** Creates (does not start) the server; {@code auth} turns each request's credentials into its role. */
    public static HttpServer create(Gateway gateway, Config.Server settings, PrometheusMeterRegistry metrics, Authenticator auth) {
        return create(gateway, settings, new Config.Subscriptions(), metrics, auth);
    }

    /** Creates (does not start) the server, with live queries on the WebSocket of /graphql as {@code subscriptions} says. */
    public static HttpServer create(Gateway gateway, Config.Server settings, Config.Subscriptions subscriptions, PrometheusMeterRegistry metrics,
                                    Authenticator auth) {
        HttpServer s = new HttpServer(gateway, settings, metrics, auth);
        s.live = new dev.modelgate.exec.LiveQueries(gateway, subscriptions.pollMillis);
        s.ws = new GraphqlWs(gateway, s.live, auth, subscriptions);
        s.sse = new GraphqlSse(gateway, s.live);
        s.rates = new RateLimits(gateway.limits().rate);
        if (metrics != null && gateway.database().replicas() != null) {
            for (dev.modelgate.db.Replicas.Replica r : gateway.database().replicas().all()) {
                io.micrometer.core.instrument.Gauge.builder("modelgate.replica.up", r, x -> x.up() ? 1 : 0).tag("replica", r.name())
                        .description("Whether a read replica answers (1) or is skipped (0)").register(metrics);
                io.micrometer.core.instrument.Gauge.builder("modelgate.replica.lag.seconds", r, x -> x.lagSeconds() == null ? 0 : x.lagSeconds())
                        .tag("replica", r.name()).description("How far a read replica is behind, as it reports (0: no figure)").register(metrics);
            }
        }
        if (metrics != null) {
            io.micrometer.core.instrument.Gauge.builder("modelgate.subscriptions.connections", s.ws, GraphqlWs::connections)
                    .description("WebSocket connections open").register(metrics);
            io.micrometer.core.instrument.Gauge.builder("modelgate.subscriptions.active", s.live, dev.modelgate.exec.LiveQueries::subscriptions)
                    .description("Live queries subscribed").register(metrics);
            io.micrometer.core.instrument.Gauge.builder("modelgate.subscriptions.groups", s.live, dev.modelgate.exec.LiveQueries::groups)
                    .description("Distinct live queries, each re-run once for all its subscribers").register(metrics);
            io.micrometer.core.instrument.FunctionCounter.builder("modelgate.subscriptions.reruns", s.live, dev.modelgate.exec.LiveQueries::reruns)
                    .description("Live query re-runs").register(metrics);
            io.micrometer.core.instrument.FunctionCounter.builder("modelgate.subscriptions.pushes", s.live, dev.modelgate.exec.LiveQueries::pushes)
                    .description("Results sent to subscribers").register(metrics);
        }
        s.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = settings.maxBodyBytes;
            if (settings.graphiql) {   // the explorer's bundle (built from npm into the jar, see src/main/graphiql): no CDN
                cfg.staticFiles.add(files -> {
                    files.hostedPath = "/graphiql/assets";
                    files.directory = "/dev/modelgate/server/graphiql";
                    files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
                });
            }
            cfg.routes.before(s::before);
            cfg.routes.after(ctx -> {
                if (ctx.attribute(COUNTED) != null) {
                    s.inFlight.decrementAndGet();
                }
            });
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrors()));
            cfg.routes.post("/graphql", s::post);
            for (HandlerType other : List.of(HandlerType.PUT, HandlerType.DELETE, HandlerType.PATCH)) {
                cfg.routes.addHttpHandler(other, "/graphql", ctx -> {
                    ctx.header("Allow", "GET, POST, OPTIONS");
                    s.respond(ctx, 405, errorBody(ErrorCode.BAD_USER_INPUT, "/graphql takes GET and POST", Errors.newRequestId()));
                });
            }
            cfg.routes.get("/graphql", s::get);
            cfg.routes.addHttpHandler(HandlerType.OPTIONS, "/graphql", ctx -> ctx.status(204));
            cfg.routes.get("/schema.graphql", s::schema);
            cfg.routes.ws("/graphql", s.ws::configure);   // live queries: graphql-transport-ws
            cfg.routes.post("/graphql/stream", s::stream);   // live queries: graphql-sse
            // what a frontend imports instead of writing cache configuration (docs/clients.md)
            cfg.routes.get("/client/apollo.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(gateway.clientConfig().apollo()));
            cfg.routes.get("/client/urql.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(gateway.clientConfig().urql()));
            cfg.routes.get("/client/possible-types.json", ctx -> ctx.contentType("application/json").result(gateway.clientConfig().possibleTypes()));
            cfg.routes.get("/client/codegen-scalars.json", ctx -> ctx.contentType("application/json").result(gateway.clientConfig().codegenScalars()));
            cfg.routes.get("/health", s::health);
            if (settings.graphiql) {
                // the explorer opens on a query an anonymous visitor can run against this schema
                String page = graphiqlPage(gateway.exampleQuery());
                cfg.routes.get("/graphiql", ctx -> ctx.contentType("text/html; charset=utf-8").result(page));
                cfg.routes.get("/", ctx -> ctx.redirect("/graphiql", HttpStatus.FOUND));
            }
            if (metrics != null) {
                cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            }
            cfg.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) ->   // Javalin's own refusals (413, …)
                    s.respond(ctx, e.getStatus(), errorBody(JsonErrors.codeOf(e.getStatus()), JsonErrors.messageOf(e.getStatus()),
                            Errors.newRequestId())));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                String id = Errors.newRequestId();
                LOG.error("request {}: unhandled", id, e);
                s.respond(ctx, 500, errorBody(ErrorCode.INTERNAL_SERVER_ERROR, "internal server error", id));
            });
        });
        return s;
    }

    public HttpServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    /** WebSocket connections open (tests). */
    int liveConnections() {
        return ws.connections();
    }

    public int port() {
        return app.port();
    }

    /**
     * Stops taking requests (new ones get 503), waits up to the grace period for those in
     * flight to finish, then stops the server.
     */
    public void stop() {
        stopping = true;
        ws.stop();
        sse.stop();
        live.close();
        long deadline = System.nanoTime() + settings.shutdownGraceSeconds * 1_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
    }

    private static String graphiqlPage(String exampleQuery) {
        try (var in = HttpServer.class.getResourceAsStream("graphiql.html")) {
            String json = JSON.writeValueAsString(exampleQuery).replace("</", "<\\/");   // a JS string literal that cannot close the script
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("/*EXAMPLE_QUERY*/''", json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void before(Context ctx) {
        cors(ctx);
        if (stopping) {
            ctx.header("Connection", "close");
            respond(ctx, 503, errorBody(ErrorCode.DATABASE_UNAVAILABLE, "the server is shutting down", Errors.newRequestId()));
            ctx.skipRemainingHandlers();
            return;
        }
        inFlight.incrementAndGet();
        ctx.attribute(COUNTED, Boolean.TRUE);
    }

    /** CORS: the allowed origins get the headers a browser asks for; preflights are answered by OPTIONS. */
    private void cors(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || settings.corsOrigins.isEmpty()) {
            return;
        }
        boolean any = settings.corsOrigins.contains("*");
        if (!any && !settings.corsOrigins.contains(origin)) {
            return;
        }
        ctx.header("Access-Control-Allow-Origin", any ? "*" : origin);
        if (!any) {
            ctx.header("Vary", "Origin");
        }
        ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, X-Modelgate-Admin-Secret, X-Modelgate-Consistency");
        ctx.header("Access-Control-Max-Age", "600");
    }

    private void post(Context ctx) throws Exception {
        withOperation(ctx, (query, variables, operationName, extensions, documentId) -> run(ctx, query, variables, operationName, extensions, documentId));
    }

    /** POST /graphql/stream: the operation as a graphql-sse event stream (distinct connections). */
    private void stream(Context ctx) throws Exception {
        withOperation(ctx, (query, variables, operationName, extensions, documentId) -> {
            Principal principal = principal(ctx);
            if (principal == null || limited(ctx, principal)) {
                return;
            }
            String document;
            try {
                document = documents.resolve(query, extensions, documentId, principal);
            } catch (GatewayException e) {
                refuse(ctx, e);
                return;
            }
            sse.serve(ctx, principal, document, variables, operationName);
        });
    }

    /** What a request body asks to run, once read and checked. */
    private interface Operation {
        void run(String query, Map<String, Object> variables, String operationName, Map<String, Object> extensions, String documentId)
                throws Exception;
    }

    /** Reads a POST body's operation ({@code query}, {@code variables}, {@code operationName}), or answers 400/415. */
    private void withOperation(Context ctx, Operation then) throws Exception {
        String type = ctx.header("Content-Type");
        if (type != null && !type.toLowerCase(Locale.ROOT).contains("json")) {
            respond(ctx, 415, badRequest("POST " + ctx.path() + " takes application/json"));
            return;
        }
        Object body;
        try {
            body = JSON.readValue(ctx.bodyAsBytes(), Object.class);   // straight to maps and lists: variables need no second conversion
        } catch (java.io.IOException e) {
            respond(ctx, 400, badRequest("the request body is not valid JSON"));
            return;
        }
        if (!(body instanceof Map<?, ?> fields)) {
            respond(ctx, 400, badRequest("the request body must be a JSON object with a \"query\" string"));
            return;
        }
        Object query = fields.get("query");
        Object variables = fields.get("variables");
        Object operationName = fields.get("operationName");
        Object extensions = fields.get("extensions");
        Object documentId = fields.get("documentId");
        boolean persisted = extensions instanceof Map<?, ?> e && e.get("persistedQuery") != null || documentId instanceof String;
        String problem = query instanceof String || query == null && persisted ? null : "the request needs a \"query\" string";
        if (problem == null && extensions != null && !(extensions instanceof Map)) {
            problem = "\"extensions\" must be a JSON object";
        }
        if (problem == null && variables != null && !(variables instanceof Map)) {
            problem = "\"variables\" must be a JSON object";
        }
        if (problem == null && operationName != null && !(operationName instanceof String)) {
            problem = "\"operationName\" must be a string";
        }
        if (problem != null) {
            respond(ctx, 400, badRequest(problem));
            return;
        }
        if (problem == null && documentId != null && !(documentId instanceof String)) {
            problem = "\"documentId\" must be a string";
        }
        if (problem != null) {
            respond(ctx, 400, badRequest(problem));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = variables == null ? Map.of() : (Map<String, Object>) variables;
        @SuppressWarnings("unchecked")
        Map<String, Object> ext = extensions == null ? Map.of() : (Map<String, Object>) extensions;
        then.run((String) query, vars, (String) operationName, ext, (String) documentId);
    }

    @SuppressWarnings("unchecked")
    private void get(Context ctx) {
        String query = ctx.queryParam("query");
        String documentId = ctx.queryParam("documentId");
        String extensionsText = ctx.queryParam("extensions");
        if (query == null && documentId == null && (extensionsText == null || !extensionsText.contains("persistedQuery"))) {
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
        Map<String, Object> extensions = Map.of();
        if (extensionsText != null && !extensionsText.isEmpty()) {
            JsonNode e;
            try {
                e = JSON.readTree(extensionsText);
            } catch (JsonProcessingException ex) {
                respond(ctx, 400, badRequest("the extensions parameter is not valid JSON"));
                return;
            }
            if (!e.isObject() && !e.isNull()) {
                respond(ctx, 400, badRequest("extensions must be a JSON object"));
                return;
            }
            extensions = e.isObject() ? JSON.convertValue(e, Map.class) : Map.of();
        }
        run(ctx, query, toMap(variables), operationName, extensions, documentId);
    }

    /** The SDL of the schema the caller's role sees; 404 when introspection is off. */
    private void schema(Context ctx) {
        if (!gateway.limits().introspection) {
            respond(ctx, 404, errorBody(ErrorCode.FORBIDDEN, "introspection is switched off", Errors.newRequestId()));
            return;
        }
        Principal principal = principal(ctx);
        if (principal != null) {
            ctx.contentType("text/plain; charset=utf-8").result(Gateway.printSchema(gateway.schema(principal)));
        }
    }

    /** {@code limits.rate}: true after answering 429 (with Retry-After) for a request over its role's rate. */
    private boolean limited(Context ctx, Principal principal) {
        long wait = rates.check(principal, ctx.ip());
        if (wait == 0) {
            return false;
        }
        ctx.header("Retry-After", Long.toString(wait));
        respond(ctx, 429, errorBody(ErrorCode.RATE_LIMITED, "role " + principal.role() + " sent more requests than limits.rate allows;"
                + " retry in " + wait + " s", Errors.newRequestId()));
        return true;
    }

    /** A request whose document may not run: 200 for a persisted query to send again (as Apollo's clients expect), else 400 or 403. */
    private void refuse(Context ctx, GatewayException e) {
        int status = switch (e.code()) {
            case PERSISTED_QUERY_NOT_FOUND -> 200;
            case FORBIDDEN -> 403;
            default -> 400;
        };
        respond(ctx, status, errorBody(e.code(), e.getMessage(), Errors.newRequestId()));
    }

    /**
     * {@code security.trustedDocuments}: only the documents of the manifest at {@code file} run, for every role
     * but admin; a document that does not validate against {@code schema} is a CommandFailure (exit 2) naming it.
     */
    public HttpServer trustedDocuments(java.nio.file.Path file, graphql.schema.GraphQLSchema schema) {
        return trustedDocuments(Documents.load(file, schema));
    }

    /** Only the documents of a trusted-documents manifest run (id → document), for every role but admin. */
    public HttpServer trustedDocuments(Map<String, String> manifest) {
        this.documents = new Documents(manifest);
        return this;
    }

    /** The request's role from its headers; null after answering 401 for bad credentials. */
    private Principal principal(Context ctx) {
        try {
            return auth.authenticate(ctx.header("Authorization"), ctx.header("X-Modelgate-Admin-Secret"));
        } catch (GatewayException e) {
            ctx.header("WWW-Authenticate", "Bearer");
            respond(ctx, 401, errorBody(e.code(), e.getMessage(), Errors.newRequestId()));
            if (settings.logRequests) {
                REQUESTS.info("request - {} refused: {}", ctx.method(), e.getMessage());
            }
            return null;
        }
    }

    /** The consistency token a query sends back (extensions.consistency, or the X-Modelgate-Consistency header). */
    private static String consistency(Context ctx, Map<String, Object> extensions) {
        Object token = extensions == null ? null : extensions.get("consistency");
        String value = token instanceof String s ? s : ctx.header("X-Modelgate-Consistency");
        return value == null || value.isBlank() || value.length() > 4096 ? null : value.trim();
    }

    private void run(Context ctx, String given, Map<String, Object> variables, String operationName, Map<String, Object> extensions,
                     String documentId) {
        if (!acceptable(ctx)) {
            respond(ctx, 406, badRequest("the response is application/json or application/graphql-response+json; the Accept header allows neither"));
            return;
        }
        Principal principal = principal(ctx);
        if (principal == null || limited(ctx, principal)) {
            return;
        }
        String query;
        try {
            query = documents.resolve(given, extensions, documentId, principal);
        } catch (GatewayException e) {
            refuse(ctx, e);
            return;
        }
        if (ctx.method() == io.javalin.http.HandlerType.GET && Gateway.isMutation(query, operationName)) {
            ctx.header("Allow", "POST");
            respond(ctx, 405, errorBody(ErrorCode.BAD_USER_INPUT, "mutations are not allowed over GET; use POST", Errors.newRequestId()));
            return;
        }
        Gateway.Outcome outcome;
        String traceId;
        try (var traced = gateway.tracing().request("graphql.request", ctx::header)) {
            outcome = gateway.run(new Gateway.Request(query, variables, operationName, principal, false, consistency(ctx, extensions)));
            traced.operation(outcome.operation(), !outcome.success());
            String traceparent = traced.traceparent();
            if (traceparent != null) {
                ctx.header("traceparent", traceparent);
            }
            traceId = traced.traceId();
        }
        Map<String, Object> result = outcome.response();
        int status = 200;
        if (acceptsGraphqlResponse(ctx) && !result.containsKey("data")) {
            status = 400;   // the request failed before execution (parse, validation, variables)
        }
        if (outcome.errorCodes().contains(ErrorCode.OVERLOADED.name())) {
            status = 503;   // every connection stayed busy: come back shortly
            ctx.header("Retry-After", "1");
        }
        respond(ctx, status, result);
        if (settings.logRequests) {
            REQUESTS.info("request {} {} {} {} ms, {} {}, {}{}", outcome.requestId(), ctx.method(), outcome.operation(),
                    outcome.took().toMillis(), outcome.statements(), outcome.statements() == 1 ? "statement" : "statements",
                    outcome.success() ? "ok" : "errors " + String.join(",", new java.util.TreeSet<>(outcome.errorCodes())),
                    traceId == null ? "" : ", trace " + traceId);
        }
    }

    /** No Accept header, or one allowing JSON in either GraphQL media type (or any type). */
    private static boolean acceptable(Context ctx) {
        String accept = ctx.header("Accept");
        if (accept == null || accept.isBlank()) {
            return true;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        return a.contains("application/json") || a.contains(GRAPHQL_RESPONSE) || a.contains("*/*") || a.contains("application/*");
    }

    private void health(Context ctx) {
        boolean up = gateway.database().isUp();
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("database", up ? "UP" : "DOWN");
        dev.modelgate.db.Replicas replicas = gateway.database().replicas();
        if (replicas != null) {   // a replica down is not the gateway down: the primary serves its reads
            List<Map<String, Object>> each = new java.util.ArrayList<>();
            for (dev.modelgate.db.Replicas.Replica r : replicas.all()) {
                Map<String, Object> one = new java.util.LinkedHashMap<>();
                one.put("replica", r.name());
                one.put("state", r.up() ? "UP" : "DOWN");
                one.put("lagSeconds", r.lagSeconds());
                each.add(one);
            }
            body.put("replicas", each);
        }
        respond(ctx, up ? 200 : 503, body);
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

    private static Map<String, Object> toMap(JsonNode variables) {
        if (variables == null || variables.isNull()) {
            return Map.of();
        }
        return JSON.convertValue(variables, Map.class);
    }

    private static Map<String, Object> badRequest(String message) {
        return errorBody(ErrorCode.BAD_USER_INPUT, message, Errors.newRequestId());
    }

    static Map<String, Object> errorBody(ErrorCode code, String message, String requestId) {
        return Map.of("errors", List.of(Map.of("message", message, "extensions", Errors.extensions(code, requestId))));
    }
}
