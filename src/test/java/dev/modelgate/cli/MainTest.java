package dev.modelgate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user runs it: a separate JVM, its output, its exit status. */
class MainTest {

    static Process launch(Path workDir, String... args) throws IOException {
        return new ProcessBuilder(command(args)).directory(workDir.toFile()).start();
    }

    /** The command line that runs Main in a JVM of its own, with these arguments. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static void copyDemo(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("schema"));
        for (String f : List.of("world.graphqls", "seed.sql")) {
            Files.copy(Path.of("schema", f), dir.resolve("schema").resolve(f));
        }
    }

    @Test
    void withNoArgumentsItServesTheSeededDemoAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        copyDemo(dir);
        // the demo's default port may be taken on a shared machine: pass only --port 0
        Process p = launch(dir, "--port", "0");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = Pattern.compile("modelgate listening on http://127\\.0\\.0\\.1:(\\d+)/graphql").matcher(line == null ? "" : line);
            assertTrue(m.matches(), "listening line: " + line);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + m.group(1) + "/graphql"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ state(id: 1) { name cities(orderBy: [{name: ASC}]) { name } } }\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"data\":{\"state\":{\"name\":\"California\",\"cities\":[{\"name\":\"Fremont\"},{\"name\":\"Livermore\"},"
                    + "{\"name\":\"Los Angeles\"},{\"name\":\"San Francisco\"},{\"name\":\"San Jose\"}]}}}", r.body());
            assertTrue(Files.exists(dir.resolve("modelgate.db")));
        } finally {
            p.destroy();   // SIGTERM
        }
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stops on SIGTERM");
    }

    @Test
    void introspectPrintsModelsAndServeIntrospectServesADatabaseItDidNotCreate(@TempDir Path dir) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("legacy.db");
        try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement()) {
            s.execute("CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            s.execute("CREATE TABLE pets (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES owners(id), name TEXT NOT NULL)");
            s.execute("CREATE TABLE notes (body TEXT)");
            s.execute("INSERT INTO owners (name) VALUES ('Ann'), ('Bo')");
            s.execute("INSERT INTO pets (owner_id, name) VALUES (1, 'Rex'), (1, 'Tom'), (2, 'Kit')");
        }
        Process intro = launch(dir, "introspect", "--db", "sqlite:///" + dir.resolve("legacy.db"));
        String models = new String(intro.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String warnings = new String(intro.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(intro.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, intro.exitValue(), warnings);
        assertTrue(models.contains("type Pet @model(table: \"pets\")") && models.contains("owner: Owner! @belongsTo(key: \"ownerId\")")
                && models.contains("pets: [Pet!]! @hasMany(key: \"ownerId\")"), models);
        assertTrue(warnings.contains("notes: no primary key; served read-only"), warnings);

        Process p = launch(dir, "--introspect", "--db", url, "--port", "0");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Matcher m = Pattern.compile("modelgate listening on http://127\\.0\\.0\\.1:(\\d+)/graphql").matcher(String.valueOf(out.readLine()));
            assertTrue(m.matches());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + m.group(1) + "/graphql"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ owners { name pets { name owner { name } } } }\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"data\":{\"owners\":[{\"name\":\"Ann\",\"pets\":[{\"name\":\"Rex\",\"owner\":{\"name\":\"Ann\"}},"
                    + "{\"name\":\"Tom\",\"owner\":{\"name\":\"Ann\"}}]},{\"name\":\"Bo\",\"pets\":[{\"name\":\"Kit\",\"owner\":{\"name\":\"Bo\"}}]}]}}",
                    r.body());
        } finally {
            p.destroy();
        }
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    }

    /** {@code serve --migrate} applies the pending migration files, then serves the models over the tables they made. */
    @Test
    void serveMigrateAppliesPendingFilesThenServes(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("schema"));
        Files.writeString(dir.resolve("schema/models.graphqls"), "type Note @model(table: \"notes\") {\n  id: Int! @id\n  text: String!\n}\n");
        String url = "jdbc:sqlite:" + dir.resolve("app.db");
        assertEquals(0, Main.run("migrate", "diff", "--db", url, "--schema", dir.resolve("schema").toString(), "--name", "notes"));
        Process p = launch(dir, "serve", "--migrate", "--db", url, "--port", "0");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("applied V1__notes", out.readLine());
            Matcher m = Pattern.compile("modelgate listening on http://127\\.0\\.0\\.1:(\\d+)/graphql").matcher(String.valueOf(out.readLine()));
            assertTrue(m.matches());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + m.group(1) + "/graphql"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"mutation { createNote(data: {text: \\\"hi\\\"}) { id text } }\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"data\":{\"createNote\":{\"id\":1,\"text\":\"hi\"}}}", r.body());
        } finally {
            p.destroy();
        }
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    }

    @Test
    void aBadModelFileExitsWith2NamingFileLineAndColumn(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.graphqls"), "type City @model {\n  id: Int! @id\n  state: State! @belongsTo(key: \"stateId\")\n}\ntype State @model { id: Int! @id }\n");
        Process p = launch(dir, "--schema", "bad.graphqls", "--db", "jdbc:sqlite:" + dir.resolve("x.db"));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), err);
        assertTrue(err.contains("bad.graphqls:3:3: City.state: @belongsTo key \"stateId\" is not a field of City"), err);
    }

    @Test
    void aBadFlagExitsWith2() throws Exception {
        assertEquals(2, Main.run("--no-such-flag"));
        assertEquals(2, Main.run("serve", "--port", "lots"));
        assertEquals(2, Main.run("ddl", "--dialect", "oracle"));
        // credentials are checked before anything starts: a short HS256 secret, a key file that is not a key
        assertEquals(2, Main.run("serve", "--jwt-secret", "short", "--port", "0"));
        assertEquals(2, Main.run("serve", "--jwt-public-key", "pom.xml", "--port", "0"));
        assertEquals(2, Main.run("serve", "--jwks", "no-such-file.json", "--port", "0"));
    }
}
