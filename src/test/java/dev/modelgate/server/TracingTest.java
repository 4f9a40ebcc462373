package dev.modelgate.server;

import dev.modelgate.config.Config;
import dev.modelgate.exec.Gateway;
import dev.modelgate.exec.Telemetry;
import dev.modelgate.exec.Tracing;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenTelemetry: a two-level query gives the span tree the docs describe — the request (a child
 * of the caller's traceparent, which comes back in the response), parse, validate, a span per
 * relationship level and one per SQL statement (as many as the statements counted), the
 * statements' text without their values — recorded by the SDK's in-memory exporter.
 */
class TracingTest {
    static final String SDL = """
            type State @model(table: "states") {
              id: Int! @id
              name: String!
              cities: [City!]! @hasMany(key: "stateId")
            }
            type City @model(table: "cities") {
              id: Int! @id
              name: String!
              stateId: Int!
              state: State! @belongsTo(key: "stateId")
            }
            """;

    @Test
    void aTwoLevelQueryIsARequestSpanWithParseValidateLevelAndStatementSpans() throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        try (Fixture f = Fixture.on(TestDb.SQLITE, SDL)) {
            f.sql("INSERT INTO states (id, name) VALUES (1, 'California'), (2, 'Nevada')",
                    "INSERT INTO cities (id, name, state_id) VALUES (1, 'San Jose', 1), (2, 'Reno', 2)");
            Config.Server quiet = new Config.Server();
            quiet.logRequests = false;
            HttpServer server = HttpServer.create(new Gateway(f.models, f.db, Telemetry.none().tracing(new Tracing(sdk))), quiet, null)
                    .start("127.0.0.1", 0);
            try {
                long before = f.db.observer().count();
                String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
                String parentSpan = "00f067aa0ba902b7";
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                        .header("Content-Type", "application/json").header("traceparent", "00-" + traceId + "-" + parentSpan + "-01")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ states(where: {name: {eq: \\\"Nevada\\\"}}) { name cities { name } } }\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                long statements = f.db.observer().count() - before;
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.headers().firstValue("traceparent").orElse("").startsWith("00-" + traceId + "-"), r.headers().map().toString());
                List<SpanData> spans = exporter.getFinishedSpanItems();
                Map<String, List<SpanData>> byName = spans.stream().collect(Collectors.groupingBy(SpanData::getName));
                SpanData request = byName.get("graphql.request").get(0);
                assertEquals(traceId, request.getTraceId());
                assertEquals(parentSpan, request.getParentSpanId(), "the caller's span is the request's parent");
                for (String child : List.of("graphql.parse", "graphql.validate", "graphql.level State.cities")) {
                    assertEquals(1, byName.getOrDefault(child, List.of()).size(), child + " in " + byName.keySet());
                    assertEquals(request.getSpanId(), byName.get(child).get(0).getParentSpanId(), child + " is a child of the request");
                }
                List<SpanData> sql = spans.stream().filter(s -> s.getName().startsWith("sql ")).toList();
                assertEquals(2, statements);
                assertEquals(statements, sql.size(), "a span per statement");
                for (SpanData s : sql) {
                    assertEquals(traceId, s.getTraceId());
                    String text = s.getAttributes().get(AttributeKey.stringKey("db.query.text"));
                    assertTrue(text.startsWith("SELECT"), text);
                    assertFalse(text.contains("Nevada"), "a statement's span has its text, never its values: " + text);
                }
                // an error names its trace
                HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                        .header("Content-Type", "application/json").header("traceparent", "00-" + traceId + "-" + parentSpan + "-01")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ states(limit: -1) { name } }\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(bad.body().contains("\"traceId\":\"" + traceId + "\""), bad.body());
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void offByDefault() {
        if (System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == null) {   // no endpoint and not enabled: a no-op, whatever else is set
            assertFalse(Tracing.configure(false).on());
        }
        assertFalse(Tracing.off().on());
    }
}
