package dev.modelgate.exec;

import dev.modelgate.db.Database;
import dev.modelgate.db.QueryRunner;
import dev.modelgate.error.ApiError;
import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.ErrorMapper;
import dev.modelgate.error.Errors;
import dev.modelgate.error.GatewayException;

import dev.modelgate.api.RoleVisibility;
import dev.modelgate.api.SchemaBuilder;
import dev.modelgate.auth.Principal;
import dev.modelgate.config.Config;
import dev.modelgate.ir.Access;
import dev.modelgate.ir.Planner;
import dev.modelgate.model.Permissions;
import graphql.introspection.Introspection;
import java.util.concurrent.ConcurrentHashMap;
import dev.modelgate.model.Models;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.schema.DefaultGraphqlTypeComparatorRegistry;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaPrinter;

import java.time.Duration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running gateway: the derived schema wired to the database. {@link #execute} runs one
 * GraphQL request with a fresh DataLoader registry and its own database session.
 */
public final class Gateway {
    /** One GraphQL request as it arrives over HTTP, and who sends it (null: admin, for tools and tests). */
    /** A request; {@code live}: it comes from a live query's re-run, the only way a subscription operation runs. */
    /** {@code consistency}: a mutation's consistency token the reads must see (null: any replica will do). */
    public record Request(String query, Map<String, Object> variables, String operationName, Principal principal, boolean live,
                          String consistency) {
        public Request(String query, Map<String, Object> variables, String operationName) {
            this(query, variables, operationName, null, false, null);
        }

        public Request(String query, Map<String, Object> variables, String operationName, Principal principal) {
            this(query, variables, operationName, principal, false, null);
        }

        public Request(String query, Map<String, Object> variables, String operationName, Principal principal, boolean live) {
            this(query, variables, operationName, principal, live, null);
        }
    }

    /** The GraphQL-context key saying a request is a live query's re-run. */
    static final String LIVE = "modelgate.live";

    private final List<Runnable> commitListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Runs {@code listener} after every operation that committed a write through this gateway (live queries re-run then). */
    public void onCommit(Runnable listener) {
        commitListeners.add(listener);
    }

    /** A request served: the response, and what the log line and metrics say of it. */
    public record Outcome(Map<String, Object> response, String requestId, String operation, long statements,
                          List<String> errorCodes, Duration took) {
        public boolean success() {
            return errorCodes.isEmpty();
        }
    }

    private final Models models;
    private final Database db;
    private final GraphQLSchema schema;
    /** The derived API: the schema, its bindings and the model each derived type belongs to. */
    private final SchemaBuilder.DerivedApi api;
    private final Telemetry telemetry;
    private final Config.Limits limits;
    private final Permissions permissions;
    /** The permission rules as filters, parsed once for every request. */
    private final dev.modelgate.ir.PermissionFilters filters;
    private final Map<String, GraphQL> engines = new ConcurrentHashMap<>();
    private final Map<String, Executor> executors = new ConcurrentHashMap<>();
    private final Planner planner;
    private final Run.Stages stages;
    private volatile int retries = 3;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Gateway.class);

    /** {@code server.bigNumbers: number}: Long and BigDecimal as JSON numbers instead of strings. */
    private volatile boolean bigNumbersAsNumbers;

    /** Send Long and BigDecimal values as JSON numbers (true) or as strings, which JavaScript cannot round (false, the default). */
    public Gateway bigNumbersAsNumbers(boolean numbers) {
        this.bigNumbersAsNumbers = numbers;
        return this;
    }

    /** How requests are traced (off unless configured). */
    public Tracing tracing() {
        return telemetry.tracing();
    }

    /** Whether Long and BigDecimal go out as JSON numbers. */
    public boolean bigNumbersAsNumbers() {
        return bigNumbersAsNumbers;
    }

    /** The cache and codegen configuration a frontend needs for this schema. */
    public dev.modelgate.api.ClientConfig clientConfig() {
        return new dev.modelgate.api.ClientConfig(models, schema, bigNumbersAsNumbers);
    }

    public Gateway(Models models, Database db) {
        this(models, db, Telemetry.none());
    }

    public Gateway(Models models, Database db, Telemetry telemetry) {
        this(models, db, telemetry, Config.Limits.defaults());
    }

    public Gateway(Models models, Database db, Telemetry telemetry, Config.Limits limits) {
        this(models, db, telemetry, limits, Execution.LEVELS);
    }

    /**
     * How relationship levels load. {@code LEVELS} (the gateway's own): one statement per level
     * for all its parent rows. {@code UNBATCHED}: one statement per parent row, the naive cost,
     * which exists to measure what batching saves (benchmarks).
     */
    public enum Execution { LEVELS, UNBATCHED }

    public Gateway(Models models, Database db, Telemetry telemetry, Config.Limits limits, Execution execution) {
        this.models = models;
        this.db = db;
        this.telemetry = telemetry;
        this.limits = limits;
        this.permissions = new Permissions(models);
        this.filters = new dev.modelgate.ir.PermissionFilters(permissions);
        List<dev.modelgate.model.Problem> missing = SqlFields.missingStatements(models, db);
        if (!missing.isEmpty()) {
            throw new dev.modelgate.model.ModelException(missing);
        }
        dev.modelgate.db.SchemaSetup.learnStoredFormats(db, models);
        telemetry.observe(db.observer());
        if (telemetry.tracing().on()) {
            String system = db.dialect().name();
            db.statementSpans(sql -> telemetry.tracing().statement(sql, system));
        }
        db.statementTimeout(limits.statementTimeoutSeconds);
        if (db.replicas() != null) {   // a replica's statements are limited and counted as the primary's are
            db.replicas().all().forEach(r -> {
                r.database().statementTimeout(limits.statementTimeoutSeconds);
                telemetry.observe(r.database().observer());
            });
        }
        QueryRunner runner = new QueryRunner(models, db, limits.maxKeysPerStatement);
        this.api = SchemaBuilder.derive(models);
        this.schema = api.schema();
        this.planner = new Planner(api, models, limits.maxRows);
        this.stages = new Run.Stages(new Reads(runner, limits.maxRows, execution != Execution.UNBATCHED),
                new Writes(models, runner, db.dialect()), new SqlFields(models, runner.values()));
    }

    /** The engine of a role: the derived schema as that role sees it (built once per role). */
    private GraphQL engine(String role) {
        String key = permissions.unrestricted(role) ? Permissions.ADMIN : role;
        return engines.computeIfAbsent(key, r -> {
            Executor executor = executors.computeIfAbsent(r, k -> new Executor(planner, stages, new Errors()));
            return GraphQL.newGraphQL(RoleVisibility.forRole(api, models, permissions, r))
                    .defaultDataFetcherExceptionHandler(new Errors())
                    .preparsedDocumentProvider(new DocumentCache())
                    .instrumentation(new graphql.execution.instrumentation.ChainedInstrumentation(
                            List.of(new QueryLimits(limits), telemetry.tracing().instrumentation())))
                    .queryExecutionStrategy(executor)
                    .mutationExecutionStrategy(executor)
                    .subscriptionExecutionStrategy(executor)   // a live query re-run is a query of the Subscription type
                    .build();
        });
    }

    /** How many times the engines shaped an operation (the plan's skeleton), over every role; for tests of the cache. */
    long operationsShaped() {
        return executors.values().stream().mapToLong(Executor::shaped).sum();
    }

    /** The query the explorer opens on: one an anonymous visitor may run, over models it may read. */
    public String exampleQuery() {
        Principal anonymous = Principal.anonymous();
        return dev.modelgate.api.ExampleQuery.of(schema(anonymous), type -> {
            var model = models.find(type);
            return model.isEmpty() || permissions.allows(anonymous.role(), model.get(), dev.modelgate.model.Allow.Op.READ);
        });
    }

    /** The schema a role sees (the whole schema for admin, or when no permissions are declared). */
    public GraphQLSchema schema(Principal principal) {
        return engine(roleOf(principal)).getGraphQLSchema();
    }

    public Config.Limits limits() {
        return limits;
    }

    private static String roleOf(Principal principal) {
        return principal == null ? Permissions.ADMIN : principal.role();
    }

    /**
     * Parsed and validated documents by query text, per role's engine: a client sending the
     * same query again skips parsing and validation. Bounded: when full it starts over.
     */
    private static final class DocumentCache implements graphql.execution.preparsed.PreparsedDocumentProvider {
        private static final int MAX = 1000;
        private final Map<String, graphql.execution.preparsed.PreparsedDocumentEntry> entries = new ConcurrentHashMap<>();

        @Override
        public java.util.concurrent.CompletableFuture<graphql.execution.preparsed.PreparsedDocumentEntry> getDocumentAsync(
                ExecutionInput input, java.util.function.Function<ExecutionInput, graphql.execution.preparsed.PreparsedDocumentEntry> parse) {
            graphql.execution.preparsed.PreparsedDocumentEntry e = entries.get(input.getQuery());
            if (e == null) {
                e = parse.apply(input);
                if (entries.size() >= MAX) {
                    entries.clear();
                }
                entries.put(input.getQuery(), e);
            }
            return java.util.concurrent.CompletableFuture.completedFuture(e);
        }
    }

    public Models models() {
        return models;
    }

    public Database database() {
        return db;
    }

    public GraphQLSchema schema() {
        return schema;
    }

    /** The derived API as SDL. */
    public String sdl() {
        return printSchema(schema);
    }

    public static String printSchema(GraphQLSchema schema) {
        // the directives applied in the schema (@specifiedBy, @deprecated) are printed; the definitions of the
        // standard ones, which every GraphQL tool has, are not — the schema declares no other
        return new SchemaPrinter(SchemaPrinter.Options.defaultOptions().includeDirectives(true)
                .includeDirectiveDefinition(name -> !graphql.Directives.isBuiltInDirective(name) && !dev.modelgate.api.SchemaBuilder.HONOURED.contains(name))
                .includeScalarTypes(true).includeSchemaDefinition(false)
                .setComparators(DefaultGraphqlTypeComparatorRegistry.AS_IS_REGISTRY)).print(schema);
    }

    /** Whether the operation a request would run is a mutation (false when the document does not parse). */
    public static boolean isMutation(String query, String operationName) {
        return operationType(query, operationName) == OperationDefinition.Operation.MUTATION;
    }

    /** Whether the operation a request would run is a subscription (false when the document does not parse). */
    public static boolean isSubscription(String query, String operationName) {
        return operationType(query, operationName) == OperationDefinition.Operation.SUBSCRIPTION;
    }

    /** The type of the operation a request would run; null when the document does not parse or has no such operation. */
    private static OperationDefinition.Operation operationType(String query, String operationName) {
        try {
            Document doc = new Parser().parseDocument(query);
            return doc.getDefinitionsOfType(OperationDefinition.class).stream()
                    .filter(o -> operationName == null || operationName.equals(o.getName()))
                    .findFirst().map(OperationDefinition::getOperation).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Runs a request; the result is the GraphQL response map ({@code data}, {@code errors}).
     * A mutation operation runs in one transaction: any error rolls all of it back and the
     * response carries {@code "data": null}.
     */
    public Map<String, Object> execute(Request request) {
        return run(request).response();
    }

    /**
     * Runs a request and reports it (metrics); the outcome also carries what a log line needs.
     * An operation that ended in a deadlock or serialization failure ({@code CONFLICT}) was rolled
     * back whole, so it runs again: a mutation up to {@code database.retries} times, a query once,
     * after a short random pause; if it still conflicts, the answer is {@code CONFLICT}.
     */
    public Outcome run(Request request) {
        long start = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            Attempt a = attempt(request);
            boolean conflicted = a.codes().contains(ErrorCode.CONFLICT.name());
            int allowed = a.transactional() ? retries : Math.min(retries, 1);
            if (!conflicted || attempt >= allowed) {
                Outcome outcome = new Outcome(a.response(), a.requestId(), a.operation(), a.statements(), a.codes(),
                        Duration.ofNanos(System.nanoTime() - start));
                telemetry.request(outcome.operation(), outcome.success(), outcome.took(), outcome.errorCodes());
                return outcome;
            }
            telemetry.retry(a.operation());
            LOG.info("request {}: {} conflicted (deadlock or serialization failure), rolled back; retry {} of {}",
                    a.requestId(), a.operation(), attempt + 1, allowed);
            pause(attempt);
        }
    }

    /** How many times an operation that conflicted runs again ({@code database.retries}); 0: never. */
    public Gateway retries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("database.retries must be at least 0");
        }
        this.retries = retries;
        return this;
    }

    /** Before retry n (from 0): 5–20 ms, doubling, so that the two sides of a deadlock do not meet again in step. */
    private static void pause(int attempt) {
        long ms = (5L << Math.min(attempt, 4)) + java.util.concurrent.ThreadLocalRandom.current().nextLong(5L << Math.min(attempt, 4) + 1);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One run of a request: its response and what the outcome reports. */
    private record Attempt(Map<String, Object> response, String requestId, String operation, long statements,
                           List<String> codes, boolean transactional) {
    }

    private Attempt attempt(Request request) {
        String role = roleOf(request.principal());
        Access access = new Access(filters, role, request.principal() == null ? Map.of() : request.principal().variables());
        try (RequestContext ctx = new RequestContext(db.openSession(false), telemetry, access)) {
            ctx.session().consistency(request.consistency());
            GraphQL engine = engine(role);
            ExecutionResult result = engine.execute(input(request, ctx, null));
            Map<String, Object> response = toResponse(result, ctx.requestId(), engine.getGraphQLSchema());
            boolean transactional = ctx.session().transactional();
            if (transactional) {
                finish(ctx, response);
                if (!response.containsKey("errors")) {
                    consistency(response);
                    commitListeners.forEach(Runnable::run);
                }
            }
            return new Attempt(response, ctx.requestId(), ctx.operation(), ctx.session().statements(), errorCodes(response), transactional);
        }
    }

    /**
     * With read replicas, a committed mutation's response carries {@code extensions.consistency}:
     * the primary's position after it, which a later query sends back to read its own write.
     */
    private void consistency(Map<String, Object> response) {
        if (db.replicas() == null) {
            return;
        }
        String position = db.position();
        if (position != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> extensions = (Map<String, Object>) response.computeIfAbsent("extensions", k -> new LinkedHashMap<>());
            extensions.put("consistency", position);
        }
    }

    /** What graphql-java runs for a request: its document, variables and the context the executor reads. */
    private ExecutionInput input(Request request, RequestContext ctx, Batch batch) {
        Map<Object, Object> context = new java.util.HashMap<>();
        context.put(RequestContext.class, ctx);
        context.put(Errors.REQUEST_ID, ctx.requestId());
        if (!limits.introspection) {
            context.put(Introspection.INTROSPECTION_DISABLED, true);
        }
        if (bigNumbersAsNumbers) {
            context.put(dev.modelgate.api.WireScalars.NUMBERS, true);
        }
        if (request.live()) {
            context.put(LIVE, true);
        }
        if (batch != null) {
            context.put(Batch.class, batch);
        }
        return ExecutionInput.newExecutionInput()
                .query(request.query() == null ? "" : request.query())
                .variables(request.variables() == null ? Map.of() : request.variables())
                .operationName(request.operationName())
                .graphQLContext(context)
                .build();
    }

    /**
     * A live query's re-run for several variable sets of one document, role and session values:
     * one response per request, each level one statement for all of them (as Hasura multiplexes
     * its subscriptions), on one database session.
     */
    public List<Map<String, Object>> executeLive(List<Request> requests) {
        Request first = requests.get(0);
        Access access = new Access(filters, roleOf(first.principal()), first.principal() == null ? Map.of() : first.principal().variables());
        GraphQL engine = engine(roleOf(first.principal()));
        Batch batch = new Batch();
        try (dev.modelgate.db.Session session = db.openSession(false)) {
            List<RequestContext> contexts = new java.util.ArrayList<>();
            List<java.util.concurrent.CompletableFuture<ExecutionResult>> results = new java.util.ArrayList<>();
            for (Request r : requests) {
                RequestContext ctx = new RequestContext(session, telemetry, access);   // the session is closed here, once
                contexts.add(ctx);
                results.add(engine.executeAsync(input(r, ctx, batch)));
            }
            batch.run();
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                String id = contexts.get(i).requestId();
                try {
                    out.add(toResponse(results.get(i).join(), id, engine.getGraphQLSchema()));
                } catch (RuntimeException e) {
                    LOG.error("request {}: a live query's re-run failed", id, e);
                    GatewayException g = Errors.toGateway(e, id);
                    Map<String, Object> response = new LinkedHashMap<>();
                    response.put("errors", List.of(new ApiError(g.getMessage(), List.of(), List.of(), Errors.extensions(g.code(), id)).toSpecification()));
                    response.put("data", null);
                    out.add(response);
                }
            }
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> errorCodes(Map<String, Object> response) {
        Object errors = response.get("errors");
        if (!(errors instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(e -> (Map<String, Object>) ((Map<String, Object>) e).get("extensions"))
                .map(x -> x == null ? "INTERNAL_SERVER_ERROR" : String.valueOf(x.get("code"))).toList();
    }

    /**
     * Ends an operation's transaction, the one place that decides its outcome: errors roll it back
     * (and {@code data} becomes null), else it commits. A rollback that fails (the connection is
     * gone, or the database already ended the transaction) is logged: the database discards an
     * unfinished transaction with its connection. A commit that fails answers with its error; a
     * commit whose connection broke may or may not have been applied, and the answer says so.
     */
    private static void finish(RequestContext ctx, Map<String, Object> response) {
        if (response.containsKey("errors")) {
            rollback(ctx);
            if (response.containsKey("data")) {
                response.put("data", null);
            }
            return;
        }
        try {
            ctx.session().commit();
        } catch (RuntimeException e) {
            rollback(ctx);
            GatewayException g = Errors.toGateway(e, ctx.requestId());
            if (g.code() == ErrorCode.DATABASE_UNAVAILABLE) {
                g = new GatewayException(ErrorCode.DATABASE_UNAVAILABLE,
                        "the connection to the database broke during the commit: whether the operation was applied is unknown", e);
            }
            response.put("data", null);
            response.put("errors", List.of(new ApiError(g.getMessage(), List.of(), List.of(),
                    Errors.extensions(g.code(), ctx.requestId())).toSpecification()));
        }
    }

    private static void rollback(RequestContext ctx) {
        try {
            ctx.session().rollback();
        } catch (RuntimeException e) {
            LOG.warn("request {}: rollback failed, the transaction ends with its connection: {}", ctx.requestId(),
                    ErrorMapper.rootCause(e).getMessage());
        }
    }

    private static Map<String, Object> toResponse(ExecutionResult result, String requestId, graphql.schema.GraphQLSchema schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!result.getErrors().isEmpty()) {
            List<Map<String, Object>> errors = result.getErrors().stream()
                    .map(e -> Errors.withCode(e, requestId, schema)).map(GraphQLError::toSpecification).toList();
            out.put("errors", errors);
        }
        if (result.isDataPresent()) {
            out.put("data", result.getData());
        }
        return out;
    }
}
