package dev.modelgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.Library;
import dev.modelgate.config.Config;
import dev.modelgate.exec.Gateway;
import dev.modelgate.exec.Telemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway over real HTTP: Javalin on a free port, the JDK's HTTP client. */
class HttpServerTest {
    static Fixture f;
    static HttpServer app;
    static String base;
    static PrometheusMeterRegistry metrics;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        f = Library.sqlite();
        metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Config.Server settings = new Config.Server();
        settings.corsOrigins = List.of("http://app.example");
        settings.maxBodyBytes = 64 * 1024;
        app = HttpServer.create(new Gateway(f.models, f.db, new Telemetry(metrics)), settings, metrics).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        app.stop();
        f.close();
    }

    static HttpResponse<String> post(String body, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Fixture.JSON.readTree(r.body());
    }

    @Test
    void postAQueryWithVariables() throws Exception {
        HttpResponse<String> r = post("{\"query\": \"query($id: Int!) { book(id: $id) { title author { name } } }\", \"variables\": {\"id\": 7}}", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Fixture.assertJson("{\"data\": {\"book\": {\"title\": \"SPQR\", \"author\": {\"name\": \"Mary Beard\"}}}}", json(r));
    }

    @Test
    void graphqlResponseMediaTypeWhenAcceptedWith400ForRequestErrors() throws Exception {
        HttpResponse<String> ok = post("{\"query\": \"{ tags { label } }\"}", "application/graphql-response+json, application/json");
        assertEquals(200, ok.statusCode());
        assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("application/graphql-response+json"));
        HttpResponse<String> bad = post("{\"query\": \"{ tags { nope } }\"}", "application/graphql-response+json");
        assertEquals(400, bad.statusCode());
        JsonNode body = json(bad);
        assertFalse(body.has("data"));
        assertEquals("GRAPHQL_VALIDATION_FAILED", body.get("errors").get(0).get("extensions").get("code").asText());
    }

    @Test
    void applicationJsonAnswers200EvenForValidationErrors() throws Exception {
        HttpResponse<String> r = post("{\"query\": \"{ tags { \"}", "application/json");
        assertEquals(200, r.statusCode());
        assertEquals("GRAPHQL_PARSE_FAILED", json(r).get("errors").get(0).get("extensions").get("code").asText());
    }

    @Test
    void malformedRequestsAre400() throws Exception {
        assertEquals(400, post("{not json", null).statusCode());
        assertEquals(400, post("[1, 2]", null).statusCode());
        assertEquals(400, post("{\"query\": 5}", null).statusCode());
        assertEquals(400, post("{\"query\": \"{ tags { id } }\", \"variables\": [1]}", null).statusCode());
        HttpResponse<String> r = post("{\"variables\": {}}", null);
        assertEquals(400, r.statusCode());
        assertEquals("BAD_USER_INPUT", json(r).get("errors").get(0).get("extensions").get("code").asText());
    }

    @Test
    void getRunsQueriesAndRefusesMutations() throws Exception {
        String q = URLEncoder.encode("query($n: Int) { books(limit: $n) { id } }", StandardCharsets.UTF_8);
        String v = URLEncoder.encode("{\"n\": 2}", StandardCharsets.UTF_8);
        HttpResponse<String> r = get("/graphql?query=" + q + "&variables=" + v);
        assertEquals(200, r.statusCode());
        Fixture.assertJson("{\"data\": {\"books\": [{\"id\": 1}, {\"id\": 2}]}}", json(r));
        HttpResponse<String> m = get("/graphql?query=" + URLEncoder.encode("mutation { deleteBook(id: 1) { id } }", StandardCharsets.UTF_8));
        assertEquals(405, m.statusCode());
        assertEquals(8, f.data("{ booksAggregate { count } }").get("booksAggregate").get("count").asInt());
    }

    @Test
    void schemaAndHealth() throws Exception {
        HttpResponse<String> s = get("/schema.graphql");
        assertEquals(200, s.statusCode());
        assertEquals(f.gateway.sdl(), s.body());
        assertTrue(s.body().contains("type Book implements Node {"), s.body());
        HttpResponse<String> h = get("/health");
        assertEquals(200, h.statusCode());
        Fixture.assertJson("{\"status\": \"UP\", \"database\": \"UP\"}", json(h));
    }

    @Test
    void healthIs503WhenTheDatabaseIsDown() throws Exception {
        try (Fixture down = Library.sqlite()) {
            HttpServer other = HttpServer.create(down.gateway).start("127.0.0.1", 0);
            try {
                down.db.dataSource().close();
                HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, h.statusCode());
                assertEquals("DOWN", json(h).get("database").asText());
            } finally {
                other.stop();
            }
        }
    }

    @Test
    void unicodeRoundTripsThroughHttpAndTheDatabase() throws Exception {
        String label = "Ünïcødé ✓ 東京 🚀";
        HttpResponse<String> created = post("{\"query\": \"mutation($l: String!) { createTag(data: {label: $l}) { id label } }\","
                + " \"variables\": {\"l\": \"" + label + "\"}}", null);
        assertTrue(created.headers().firstValue("Content-Type").orElse("").toLowerCase().contains("utf-8"));
        JsonNode tag = json(created).get("data").get("createTag");
        assertEquals(label, tag.get("label").asText());
        HttpResponse<String> read = get("/graphql?query=" + URLEncoder.encode("{ tags(where: {label: {eq: \"" + label + "\"}}) { id } }",
                StandardCharsets.UTF_8));
        assertEquals(tag.get("id"), json(read).get("data").get("tags").get(0).get("id"));
        post("{\"query\": \"mutation { deleteTag(id: " + tag.get("id") + ") { id } }\"}", null);
    }

    /** Sends on a new client, so a connection of its own. */
    static HttpResponse<String> alone(HttpRequest.Builder b) throws Exception {
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void acceptHeadersPickTheMediaTypeOrAreRefusedWith406() throws Exception {
        String body = "{\"query\": \"{ authorsAggregate { count } }\"}";
        assertTrue(post(body, "*/*").headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(post(body, null).headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(post(body, "application/graphql-response+json, application/json;q=0.9").headers().firstValue("Content-Type")
                .orElse("").startsWith("application/graphql-response+json"));
        HttpResponse<String> refused = post(body, "text/html");
        assertEquals(406, refused.statusCode());
        assertFalse(refused.body().contains("\"data\""));
    }

    @Test
    void aPostThatIsNotJsonIs415() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/graphql"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("query=%7B%7D")));
        assertEquals(415, r.statusCode());
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeParsing() throws Exception {
        String huge = "{\"query\": \"{ authors { name } }\", \"variables\": {\"pad\": \"" + "x".repeat(70 * 1024) + "\"}}";
        assertEquals(413, post(huge, null).statusCode());
    }

    /** A refusal in the GraphQL-over-HTTP error shape: JSON, errors[0] with a message and its code. */
    static void assertRefusal(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").contains("json"), r.headers().toString());
        JsonNode error = json(r).get("errors").get(0);
        assertTrue(error.get("message").asText().length() > 0, r.body());
        assertEquals(code, error.get("extensions").get("code").asText(), r.body());
        assertTrue(error.get("extensions").get("requestId").asText().length() > 0, r.body());
    }

    @Test
    void everyHttpRefusalIsGraphqlShaped() throws Exception {
        String huge = "{\"query\": \"{ authors { name } }\", \"variables\": {\"pad\": \"" + "x".repeat(70 * 1024) + "\"}}";
        // Jetty closes the connection after a refusal it answers below HTTP parsing; each goes on a
        // connection of its own so that the client never reuses one the server is closing
        assertRefusal(alone(HttpRequest.newBuilder(URI.create(base + "/graphql")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(huge))), 413, "QUERY_TOO_COMPLEX");
        assertRefusal(alone(HttpRequest.newBuilder(URI.create(base + "/graphql?query=" + "%7B" + "x".repeat(20_000))).GET()),
                414, "QUERY_TOO_COMPLEX");
        assertRefusal(alone(HttpRequest.newBuilder(URI.create(base + "/graphql")).header("Content-Type", "application/json")
                .header("X-Pad", "y".repeat(20_000)).POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ __typename }\"}"))),
                431, "QUERY_TOO_COMPLEX");
        for (String method : List.of("PUT", "DELETE", "PATCH")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/graphql")).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"query\": \"{ __typename }\"}")));
            assertRefusal(r, 405, "BAD_USER_INPUT");
            assertEquals("GET, POST, OPTIONS", r.headers().firstValue("Allow").orElse(""), method);
        }
        assertRefusal(send(HttpRequest.newBuilder(URI.create(base + "/graphql"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}"))), 415, "BAD_USER_INPUT");
        assertRefusal(send(HttpRequest.newBuilder(URI.create(base + "/graphql")).header("Content-Type", "application/json")
                .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ __typename }\"}"))), 406, "BAD_USER_INPUT");
    }

    @Test
    void extensionsThatAreNotAnObjectAre400() throws Exception {
        for (String bad : List.of("\"x\"", "1", "true", "[]")) {
            assertRefusal(post("{\"query\": \"{ __typename }\", \"extensions\": " + bad + "}", null), 400, "BAD_USER_INPUT");
        }
        assertEquals(200, post("{\"query\": \"{ __typename }\", \"extensions\": {}}", null).statusCode());
        assertEquals(200, post("{\"query\": \"{ __typename }\", \"extensions\": null}", null).statusCode());
        assertRefusal(get("/graphql?query=%7B__typename%7D&extensions=%5B%5D"), 400, "BAD_USER_INPUT");
        assertEquals(200, get("/graphql?query=%7B__typename%7D&extensions=%7B%7D").statusCode());
    }

    @Test
    void corsAllowsTheConfiguredOriginOnly() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(base + "/graphql"))
                .header("Origin", "http://app.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, preflight.statusCode());
        assertEquals("http://app.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
        HttpResponse<String> other = send(HttpRequest.newBuilder(URI.create(base + "/graphql"))
                .header("Origin", "http://evil.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ authorsAggregate { count } }\"}")));
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void theRootRedirectsToTheExplorerWhoseAssetsAllComeFromTheJar() throws Exception {
        HttpResponse<String> root = get("/");
        assertEquals(302, root.statusCode());
        assertEquals("/graphiql", root.headers().firstValue("Location").orElse(null));
        HttpResponse<String> page = get("/graphiql");
        assertEquals(200, page.statusCode());
        Matcher assets = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        int count = 0;
        while (assets.find()) {
            String asset = assets.group(1);
            assertTrue(asset.startsWith("/graphiql/assets/"), asset);
            assertEquals(200, get(asset).statusCode(), asset);
            count++;
        }
        assertEquals(2, count, "the explorer's bundle: script and stylesheet");
        for (String beside : List.of("editor.worker.js", "graphql.worker.js", "json.worker.js", "codicon.ttf")) {   // what the bundle loads itself
            assertEquals(200, get("/graphiql/assets/" + beside).statusCode(), beside);
        }
        String licences = get("/graphiql/assets/THIRD-PARTY-LICENSES.txt").body();
        for (String bundled : List.of("graphiql ", "@graphiql/plugin-explorer ", "react ", "monaco-editor ", "graphql-ws ")) {
            assertTrue(licences.contains("\n" + bundled), "the licence of " + bundled + "is shipped with the bundle");
        }
    }

    static double metric(String text, String line) {
        return text.lines().filter(l -> l.startsWith(line)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** How much a metric (summed over the lines starting with {@code line}) grew between two scrapes. */
    static double delta(String before, String after, String line) {
        return metric(after, line) - metric(before, line);
    }

    @Test
    void metricsCountRequestsErrorsStatementsAndBatches() throws Exception {
        String before = get("/metrics").body();
        post("{\"query\": \"{ authors { name books { title } } }\"}", null);
        post("{\"query\": \"{ authors(limit: -1) { name } }\"}", null);
        post("{\"query\": \"mutation { deleteAuthor(id: 999) { id } }\"}", null);
        HttpResponse<String> after = get("/metrics");
        assertTrue(after.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String text = after.body();
        assertEquals(1, delta(before, text, "modelgate_requests_seconds_count{operation=\"query\",outcome=\"success\"}"));
        assertEquals(1, delta(before, text, "modelgate_requests_seconds_count{operation=\"query\",outcome=\"error\"}"));
        assertEquals(1, delta(before, text, "modelgate_requests_seconds_count{operation=\"mutation\",outcome=\"success\"}"));
        assertEquals(1, delta(before, text, "modelgate_errors_total{code=\"BAD_USER_INPUT\"}"));
        assertTrue(delta(before, text, "modelgate_sql_statements_total") >= 3);
        assertEquals(1, delta(before, text, "modelgate_dataloader_batch_size_count"));
        assertTrue(text.contains("modelgate_requests_seconds_bucket{"), "latency histogram");
    }
}
