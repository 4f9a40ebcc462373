package dev.modelgate.cli;

import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/Dockerfile without a Docker engine (none runs on the machines that build Modelgate): its
 * instructions against the lint rules it keeps (hadolint's, listed in docs/configuration.md), and
 * the container's start as Docker would make it: the image's ENV, WORKDIR, ENTRYPOINT and CMD
 * applied to a copy of its /app, with a user's {@code -e} variables and arguments on top.
 */
class DockerImageTest {
    static final Path DOCKERFILE = Path.of("docker/Dockerfile");

    /** One instruction: its keyword and its arguments, continuation lines joined. */
    record Instruction(int line, String keyword, String args) {
    }

    static List<Instruction> instructions() throws Exception {
        List<Instruction> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(DOCKERFILE);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int start = i + 1;
            StringBuilder text = new StringBuilder(l);
            while (text.toString().endsWith("\\") && i + 1 < lines.size()) {
                text.setLength(text.length() - 1);
                text.append(' ').append(lines.get(++i).trim());
            }
            String[] parts = text.toString().split("\\s+", 2);
            out.add(new Instruction(start, parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
        }
        return out;
    }

    static List<Instruction> all(String keyword) throws Exception {
        return instructions().stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The runtime stage: the instructions after the last FROM. */
    static List<Instruction> runtime() throws Exception {
        List<Instruction> all = instructions();
        int last = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return all.subList(last, all.size());
    }

    static List<String> jsonArray(String args) throws Exception {
        List<String> out = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(args).forEach(n -> out.add(n.asText()));
        return out;
    }

    /** What Docker would put in the container's environment: the runtime stage's ENV lines. */
    static Map<String, String> imageEnv() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(\\S+)").matcher("");
        for (Instruction i : runtime()) {
            if (i.keyword().equals("ENV")) {
                m.reset(i.args());
                while (m.find()) {
                    env.put(m.group(1), m.group(2));
                }
            }
        }
        return env;
    }

    @Test
    void theDockerfileKeepsItsLintRules() throws Exception {
        for (Instruction from : all("FROM")) {
            String image = from.args().split("\\s+")[0];
            assertTrue(image.contains(":") && !image.endsWith(":latest"), "DL3006/DL3007: pin the base image's tag, line " + from.line());
        }
        for (String keyword : List.of("CMD", "ENTRYPOINT")) {
            for (Instruction i : all(keyword)) {
                assertTrue(i.args().startsWith("["), "DL3025: " + keyword + " in JSON form, line " + i.line());
                jsonArray(i.args());
            }
        }
        for (Instruction h : all("HEALTHCHECK")) {
            assertTrue(h.args().contains("CMD [\""), "the health check in JSON form, line " + h.line());
        }
        assertTrue(all("ADD").isEmpty(), "DL3020: COPY, not ADD");
        for (Instruction w : all("WORKDIR")) {
            assertTrue(w.args().startsWith("/"), "DL3000: an absolute WORKDIR, line " + w.line());
        }
        List<Instruction> users = all("USER");
        assertFalse(users.isEmpty(), "DL3002: the container does not run as root");
        assertFalse(users.get(users.size() - 1).args().matches("root|0"), "DL3002: the last USER is not root");
        for (Instruction run : all("RUN")) {
            assertFalse(run.args().contains("apt-get install") && !run.args().contains("--no-install-recommends"), "DL3015, line " + run.line());
            assertFalse(run.args().matches(".*\\bcd\\s.*"), "DL3003: WORKDIR, not cd, line " + run.line());
            assertFalse(run.args().contains("sudo"), "DL3004, line " + run.line());
        }
        assertTrue(all("RUN").stream().anyMatch(r -> r.args().contains("package") && r.args().contains("-Dmaven.test.skip=true")),
                "the build stage does not compile the tests");
        assertTrue(runtime().stream().anyMatch(i -> i.keyword().equals("VOLUME") && i.args().contains("/app/data")), "a volume for the data");
        assertEquals(imageEnv().get("MODELGATE_SERVER_PORT"), all("EXPOSE").get(0).args().trim(), "EXPOSE the port the server listens on");
        for (Instruction copy : all("COPY")) {
            if (!copy.args().startsWith("--from")) {
                String source = copy.args().split("\\s+")[0];
                assertTrue(Files.exists(Path.of(source)), "COPY " + source + " exists, line " + copy.line());
            }
        }
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore"));
        for (String kept : List.of("target", ".git", "*.db", "src/test", "**/node_modules")) {
            assertTrue(ignored.contains(kept), ".dockerignore leaves " + kept + " out of the build context");
        }
        for (String needed : List.of("src", "src/main", "pom.xml", "schema", "mappers")) {
            assertFalse(ignored.contains(needed), needed + " is needed by the build");
        }
    }

    /** The container's start, as Docker makes it, on a copy of the image's /app under {@code root}. */
    static Process start(Path root, Map<String, String> userEnv, List<String> userArgs) throws Exception {
        Path app = root.resolve("app");
        Files.createDirectories(app.resolve("data"));
        for (String d : List.of("schema", "mappers")) {
            try (var files = Files.walk(Path.of(d))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path to = app.resolve(p.toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
        }
        Map<String, String> env = new HashMap<>();
        imageEnv().forEach((k, v) -> env.put(k, v.replace("/app", app.toString())));
        env.putAll(userEnv);   // docker run -e: the user's variables replace the image's
        List<String> entrypoint = jsonArray(all("ENTRYPOINT").get(0).args());
        assertEquals(List.of("java", "-jar", "/app/modelgate.jar"), entrypoint, "the entrypoint runs the jar, and nothing decides settings there");
        List<String> args = userArgs.isEmpty() ? jsonArray(all("CMD").get(all("CMD").size() - 1).args()) : userArgs;
        String workdir = runtime().stream().filter(i -> i.keyword().equals("WORKDIR")).reduce((a, b) -> b).orElseThrow().args().trim();
        ProcessBuilder pb = new ProcessBuilder(MainTest.command(args.toArray(String[]::new)))
                .directory(root.resolve(workdir.substring(1)).toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MODELGATE_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    static String untilListening(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            if (line.startsWith("modelgate listening")) {
                return seen.toString();
            }
        }
        throw new AssertionError("never listened: " + seen);
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    }

    @Test
    void withNoSettingsTheImageServesTheDemoFromItsVolume(@TempDir Path root) throws Exception {
        // only the port is the user's here: 8080 may be taken on the machine running the tests
        Process p = start(root, Map.of("MODELGATE_SERVER_PORT", "0"), List.of());
        try {
            String out = untilListening(p);
            assertTrue(out.contains("modelgate listening on http://0.0.0.0:"), "listens on every interface: " + out);
            assertTrue(Files.exists(root.resolve("app/data/modelgate.db")), "the demo database is in the volume");
        } finally {
            stop(p);
        }
    }

    @Test
    void aUsersDatabaseVariableReplacesTheDemoDatabase(@TempDir Path root) throws Exception {
        TestDb.Created db = TestDb.POSTGRESQL.create();
        try {
            Process p = start(root, Map.of("MODELGATE_SERVER_PORT", "0", "MODELGATE_DATABASE_URL", db.url(),
                    "MODELGATE_DB_USER", db.user(), "MODELGATE_DATABASE_CREATE_TABLES", "true"), List.of());
            try {
                untilListening(p);
                assertFalse(Files.exists(root.resolve("app/data/modelgate.db")), "no SQLite file when a database is set");
                try (var c = DriverManager.getConnection(db.url(), db.user(), ""); var rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM states")) {
                    assertTrue(rs.next() && rs.getInt(1) > 0, "the demo's tables and rows are in PostgreSQL");
                }
            } finally {
                stop(p);
            }
        } finally {
            db.drop().run();
        }
    }

    @Test
    void argumentsAfterTheImageNameReplaceServeAndSeeTheImagesSettings(@TempDir Path root) throws Exception {
        Process p = start(root, Map.of(), List.of("print-schema"));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("type Query"), "the image's models, found through MODELGATE_SCHEMA: " + out);
    }
}
