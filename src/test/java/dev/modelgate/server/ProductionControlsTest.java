package dev.modelgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.auth.Authenticator;
import dev.modelgate.config.Config;
import dev.modelgate.error.CommandFailure;
import dev.modelgate.exec.Gateway;
import dev.modelgate.exec.Telemetry;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator sets before exposing the API: automatic persisted queries over POST and GET,
 * trusted documents (only the manifest's documents run, admin excepted; a manifest document that
 * does not validate stops the start), and request rates per user within a role.
 */
class ProductionControlsTest {
    static final String SDL = """
            type State @model(table: "states") @allow(role: "user", read: {}) @allow(role: "anonymous", read: {}) {
              id: Int! @id
              name: String!
            }
            """;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String QUERY = "{ states { name } }";

    static Fixture f;
    static HttpServer open;
    static HttpServer trusted;
    static HttpServer limited;

    @BeforeAll
    static void start() throws Exception {
        f = Fixture.on(TestDb.SQLITE, SDL);
        f.sql("INSERT INTO states (id, name) VALUES (1, 'California'), (2, 'Nevada')");
        Config.Auth auth = new Config.Auth();
        auth.adminSecret = AuthHttpTest.ADMIN;
        auth.jwtSecret = AuthHttpTest.SECRET;
        Config.Server quiet = new Config.Server();
        quiet.logRequests = false;
        open = HttpServer.create(new Gateway(f.models, f.db), quiet, null, new Authenticator(auth)).start("127.0.0.1", 0);
        trusted = HttpServer.create(new Gateway(f.models, f.db), quiet, null, new Authenticator(auth))
                .trustedDocuments(Map.of("states-names", QUERY)).start("127.0.0.1", 0);
        Config.Limits limits = Config.Limits.defaults();
        Config.Rate three = new Config.Rate();
        three.requests = 3;
        three.perSeconds = 60;
        limits.rate.put("user", three);
        limits.rate.put("anonymous", three);
        limited = HttpServer.create(new Gateway(f.models, f.db, Telemetry.none(), limits), quiet, null, new Authenticator(auth)).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        for (HttpServer s : new HttpServer[]{open, trusted, limited}) {
            if (s != null) {
                s.stop();
            }
        }
        if (f != null) {
            f.close();
        }
    }

    static HttpResponse<String> post(HttpServer s, Map<String, Object> body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(HttpServer s, String params) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/graphql?" + params)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> persisted(String hash) {
        return Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));
    }

    static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).at("/errors/0/extensions/code").asText();
    }

    static JsonNode data(HttpResponse<String> r) throws Exception {
        JsonNode n = JSON.readTree(r.body());
        assertTrue(n.path("errors").isMissingNode(), r.body());
        return n.get("data");
    }

    @Test
    void automaticPersistedQueriesRoundTripOverPostAndGet() throws Exception {
        String query = "{ states(orderBy: [{name: DESC}]) { name } }";
        String hash = Documents.sha256(query);
        HttpResponse<String> unknown = post(open, Map.of("extensions", persisted(hash)), Map.of());
        assertEquals(200, unknown.statusCode());
        assertEquals("PERSISTED_QUERY_NOT_FOUND", code(unknown));
        assertEquals("Nevada", data(post(open, Map.of("query", query, "extensions", persisted(hash)), Map.of())).at("/states/0/name").asText());
        assertEquals("Nevada", data(post(open, Map.of("extensions", persisted(hash)), Map.of())).at("/states/0/name").asText());
        String ext = URLEncoder.encode(JSON.writeValueAsString(persisted(hash)), StandardCharsets.UTF_8);
        assertEquals("Nevada", data(get(open, "extensions=" + ext)).at("/states/0/name").asText());
        // a query sent with another query's hash is refused, and that hash stays unknown
        String other = Documents.sha256("{ states { id } }");
        HttpResponse<String> mismatch = post(open, Map.of("query", query, "extensions", persisted(other)), Map.of());
        assertEquals(400, mismatch.statusCode());
        assertEquals("BAD_USER_INPUT", code(mismatch));
        assertEquals("PERSISTED_QUERY_NOT_FOUND", code(post(open, Map.of("extensions", persisted(other)), Map.of())));
    }

    @Test
    void withTrustedDocumentsOnlyTheManifestRunsAdminExcepted() throws Exception {
        HttpResponse<String> adHoc = post(trusted, Map.of("query", "{ states { id } }"), Map.of());
        assertEquals(403, adHoc.statusCode());
        assertEquals("FORBIDDEN", code(adHoc));
        assertEquals(2, data(post(trusted, Map.of("documentId", "states-names"), Map.of())).get("states").size());
        assertEquals(2, data(post(trusted, Map.of("extensions", persisted(Documents.sha256(QUERY))), Map.of())).get("states").size());
        assertEquals(2, data(post(trusted, Map.of("query", QUERY), Map.of())).get("states").size());
        // a tampered hash names no document; a new ad-hoc document sent with its own hash is still not trusted
        String tampered = "0" + Documents.sha256(QUERY).substring(1);
        assertEquals("PERSISTED_QUERY_NOT_FOUND", code(post(trusted, Map.of("extensions", persisted(tampered)), Map.of())));
        String adHocQuery = "{ states { id } }";
        assertEquals("FORBIDDEN", code(post(trusted, Map.of("query", adHocQuery, "extensions", persisted(Documents.sha256(adHocQuery))), Map.of())));
        assertEquals("PERSISTED_QUERY_NOT_FOUND", code(post(trusted, Map.of("documentId", "nope"), Map.of())));
        assertEquals(2, data(post(trusted, Map.of("query", adHocQuery), Map.of("X-Modelgate-Admin-Secret", AuthHttpTest.ADMIN))).get("states").size());
    }

    @Test
    void aManifestDocumentThatDoesNotValidateStopsTheStart() throws Exception {
        Path manifest = Files.createTempFile("trusted", ".json");
        Map<String, String> docs = new LinkedHashMap<>();
        docs.put("good", QUERY);
        docs.put("stale", "{ states { population } }");
        Files.writeString(manifest, JSON.writeValueAsString(docs));
        CommandFailure e = assertThrows(CommandFailure.class, () -> Documents.load(manifest, dev.modelgate.api.SchemaBuilder.build(f.models)));
        assertEquals(2, e.status());
        assertTrue(e.getMessage().contains("stale"), e.getMessage());
    }

    @Test
    void aUserOverItsRateGets429WhileAnotherUserOfTheRoleDoesNot() throws Exception {
        Map<String, String> ann = Map.of("Authorization", "Bearer " + AuthHttpTest.hs256("ann", "user"));
        Map<String, String> bob = Map.of("Authorization", "Bearer " + AuthHttpTest.hs256("bob", "user"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(limited, Map.of("query", QUERY), ann).statusCode());
        }
        HttpResponse<String> over = post(limited, Map.of("query", QUERY), ann);
        assertEquals(429, over.statusCode());
        assertEquals("RATE_LIMITED", code(over));
        long retry = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        assertEquals(200, post(limited, Map.of("query", QUERY), bob).statusCode(), "another user of the role has a rate of its own");
        for (int i = 0; i < 5; i++) {
            assertEquals(200, post(limited, Map.of("query", QUERY), Map.of("X-Modelgate-Admin-Secret", AuthHttpTest.ADMIN)).statusCode(),
                    "admin is not listed: not limited");
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(limited, Map.of("query", QUERY), Map.of()).statusCode());
        }
        assertEquals(429, post(limited, Map.of("query", QUERY), Map.of()).statusCode(), "anonymous is counted per client address");
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + limited.port() + "/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "/health is never limited");
    }
}
