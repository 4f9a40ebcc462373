package dev.modelgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.Library;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway over real HTTP: Javalin on a free port, the JDK's HTTP client. */
class HttpServerTest {
    static Fixture f;
    static Javalin app;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        f = Library.sqlite();
        app = HttpServer.create(f.gateway).start("127.0.0.1", 0);
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
        assertTrue(s.body().contains("type Book {"), s.body());
        HttpResponse<String> h = get("/health");
        assertEquals(200, h.statusCode());
        Fixture.assertJson("{\"status\": \"UP\", \"database\": \"UP\"}", json(h));
    }

    @Test
    void healthIs503WhenTheDatabaseIsDown() throws Exception {
        try (Fixture down = Library.sqlite()) {
            Javalin other = HttpServer.create(down.gateway).start("127.0.0.1", 0);
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
}
