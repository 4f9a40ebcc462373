package dev.modelgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.config.Config;
import dev.modelgate.db.Database;
import dev.modelgate.db.DbUrl;
import dev.modelgate.db.SchemaSetup;
import dev.modelgate.exec.Gateway;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.support.Fixture;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A pool whose every connection stays busy (the database itself answers) is OVERLOADED with
 * HTTP 503 and Retry-After, not DATABASE_UNAVAILABLE; the next request, with a connection free,
 * is served.
 */
class OverloadTest {
    @Test
    void anExhaustedPoolIsOverloadedWith503AndRetryAfter() throws Exception {
        Path dir = Files.createTempDirectory("modelgate-overload");
        Models models = ModelParser.parse(List.of(new ModelParser.Source("t.graphqls",
                "type Tag @model { id: Int! @id label: String! }")));
        try (Database db = Database.open(DbUrl.parse("jdbc:sqlite:" + dir.resolve("t.db"), null, null), 1, null)) {
            SchemaSetup.createMissingTables(db, models);
            HttpServer server = HttpServer.create(new Gateway(models, db), new Config.Server(), null).start("127.0.0.1", 0);
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ tags { id } }\"}")).build();
                HttpResponse<String> busy;
                try (Connection held = db.dataSource().getConnection()) {   // the pool's only connection, held elsewhere
                    busy = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
                }
                assertEquals(503, busy.statusCode(), busy.body());
                assertEquals("1", busy.headers().firstValue("Retry-After").orElse(""), busy.headers().toString());
                JsonNode error = Fixture.JSON.readTree(busy.body()).get("errors").get(0);
                assertEquals("OVERLOADED", error.at("/extensions/code").asText(), busy.body());
                HttpResponse<String> free = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, free.statusCode(), free.body());
                assertEquals("{\"data\":{\"tags\":[]}}", free.body());
            } finally {
                server.stop();
            }
        }
    }
}
