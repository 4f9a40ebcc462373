package dev.modelgate.cli;

import dev.modelgate.support.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The figures and walkthroughs the README and docs/ give, run as a reader would run them: the
 * documents are read here, their commands run in a JVM of their own, and the statement counts
 * they claim are compared with the server's own request log.
 */
class DocsClaimTest {
    private static final List<String> NUMBERS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");

    /** The first fenced block of {@code language} after {@code marker} in a document. */
    static String block(Path doc, String marker, String language) throws Exception {
        String text = Files.readString(doc);
        int at = text.indexOf(marker);
        assertTrue(at >= 0, marker + " in " + doc);
        int start = text.indexOf("```" + language + "\n", at);
        int end = text.indexOf("```", start + 3 + language.length());
        return text.substring(start + 4 + language.length(), end);
    }

    /** The number a document gives in words before {@code unit} after {@code marker} ("five SQL statements" → 5). */
    static int claimed(Path doc, String marker, String unit) throws Exception {
        String text = Files.readString(doc);
        Matcher m = Pattern.compile("\\b(" + String.join("|", NUMBERS) + ")\\s+" + unit).matcher(text);
        assertTrue(m.find(text.indexOf(marker)), "a count of " + unit + " after " + marker);
        return NUMBERS.indexOf(m.group(1));
    }

    /** A server started as the docs say; its output read until it listens. */
    record Server(Process process, BufferedReader log, int port) implements AutoCloseable {
        static Server start(Path dir, String... args) throws Exception {
            Process p = new ProcessBuilder(MainTest.command(args)).directory(dir.toFile()).redirectErrorStream(true).start();
            BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern listening = Pattern.compile("modelgate listening on http://127\\.0\\.0\\.1:(\\d+)/graphql");
            StringBuilder seen = new StringBuilder();
            for (String line = log.readLine(); line != null; line = log.readLine()) {
                Matcher m = listening.matcher(line);
                if (m.matches()) {
                    return new Server(p, log, Integer.parseInt(m.group(1)));
                }
                seen.append(line).append('\n');
            }
            throw new AssertionError("never listened: " + seen);
        }

        /** Runs a query; returns its body and the statement count of its request-log line. */
        Map.Entry<String, Integer> query(String document) throws Exception {
            String body = Fixture.JSON.writeValueAsString(Map.of("query", document));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Pattern logged = Pattern.compile(".*request \\S+ POST \\w+ \\d+ ms, (\\d+) statements?, .*");
            for (String line = log.readLine(); line != null; line = log.readLine()) {
                Matcher m = logged.matcher(line);
                if (m.matches()) {
                    return Map.entry(r.body(), Integer.parseInt(m.group(1)));
                }
                assertFalse(line.contains("errors"), line);
            }
            throw new AssertionError("no request line");
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theReadmesFirstQueryRunsTheStatementsItSays(@TempDir Path dir) throws Exception {
        MainTest.copyDemo(dir);
        Path readme = Path.of("README.md");
        String query = block(readme, "## Your first query", "graphql");
        int said = claimed(readme, "## Your first query", "SQL statements");
        try (Server s = Server.start(dir, "--port", "0")) {
            var answer = s.query(query);
            assertFalse(answer.getKey().contains("\"errors\""), answer.getKey());
            assertTrue(answer.getKey().contains("San Francisco"), answer.getKey());
            assertEquals(said, answer.getValue(), "the README says " + NUMBERS.get(said) + " statements");
        }
    }

    @Test
    void theReadmesOwnModelsServeAsShown(@TempDir Path dir) throws Exception {
        Path readme = Path.of("README.md");
        Files.createDirectories(dir.resolve("shop"));
        Files.writeString(dir.resolve("shop/models.graphqls"), block(readme, "## Your own models", "graphql"));
        String command = block(readme, "## Your own models", "sh").trim();
        assertTrue(command.startsWith("java -jar target/modelgate.jar "), command);
        List<String> args = new java.util.ArrayList<>(List.of(command.substring("java -jar target/modelgate.jar ".length()).split("\\s+")));
        args.addAll(List.of("--port", "0"));
        try (Server s = Server.start(dir, args.toArray(String[]::new))) {
            var created = s.query("mutation { createCustomer(data: {email: \"a@b.c\", orders: [{total: 12.5}, {total: \"7.25\"}]}) { id } }");
            assertFalse(created.getKey().contains("errors"), created.getKey());
        } catch (AssertionError e) {
            throw new AssertionError("the README's model and command: " + e.getMessage(), e);
        }
        assertTrue(Files.exists(dir.resolve("shop.db")));
    }

    @Test
    void theChinookWalkthroughRunsAsWritten(@TempDir Path dir) throws Exception {
        Path doc = Path.of("docs/databases.md");
        String steps = block(doc, "A walkthrough, on Chinook", "sh");
        for (String line : steps.lines().map(l -> l.replaceAll("\\s+#.*", "").trim()).filter(l -> !l.isEmpty()).toList()) {
            String cmd = line.replace("docs/samples/load.sh", Path.of("docs/samples/load.sh").toAbsolutePath().toString());
            if (cmd.contains("java -jar target/modelgate.jar --schema")) {
                continue;   // the server: started below, to be queried
            }
            cmd = cmd.replace("java -jar target/modelgate.jar", String.join(" ", MainTest.command()));
            Process p = new ProcessBuilder("bash", "-c", cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "step: " + line);
        }
        String models = Files.readString(dir.resolve("chinook/models.graphqls"));
        int said = NUMBERS.indexOf(Pattern.compile("(\\w+) models").matcher(Files.readString(doc)).results()
                .map(m -> m.group(1)).filter(NUMBERS::contains).findFirst().orElseThrow());
        assertEquals(said, Pattern.compile("@model\\(").matcher(models).results().count(), "the model count the walkthrough gives");

        String query = block(doc, "four levels", "graphql");
        int statements = claimed(doc, "track's genre", "statements");
        try (Server s = Server.start(dir, "--schema", "chinook", "--db", "jdbc:sqlite:chinook.db", "--port", "0")) {
            var answer = s.query(query);
            assertTrue(answer.getKey().contains("For Those About To Rock"), answer.getKey());
            assertEquals(statements, answer.getValue(), "the walkthrough says " + NUMBERS.get(statements) + " statements");
        }
    }
}
