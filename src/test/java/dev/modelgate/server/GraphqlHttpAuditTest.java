package dev.modelgate.server;

import dev.modelgate.config.Config;
import dev.modelgate.exec.Gateway;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.Library;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GraphQL-over-HTTP audit of graphql-http (the spec's MUST, SHOULD and MAY checks, 61 in
 * the pinned version) against a live server, run by Node.js from {@code src/test/audit}:
 * every check passes.
 */
class GraphqlHttpAuditTest {
    private static final Path SOURCE = Path.of("src/test/audit");

    @Test
    void everyAuditPasses() throws Exception {
        Path dir = Path.of("target/graphql-http-audit");
        Files.createDirectories(dir);
        for (String name : List.of("package.json", "package-lock.json", "audit.mjs")) {
            Files.copy(SOURCE.resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules/graphql-http"))) {
            assertEquals(0, run(dir, 180, "npm", "ci", "--no-audit", "--no-fund").exit, "npm ci in " + dir);
        }
        try (Fixture f = Library.sqlite()) {
            HttpServer app = HttpServer.create(new Gateway(f.models, f.db), new Config.Server(), null).start("127.0.0.1", 0);
            try {
                Result audit = run(dir, 120, "node", "audit.mjs", "http://127.0.0.1:" + app.port() + "/graphql");
                Matcher summary = Pattern.compile("(\\d+) ok, (\\d+) not ok of (\\d+)").matcher(audit.output);
                assertTrue(summary.find(), audit.output);
                assertEquals("0", summary.group(2), audit.output);
                assertEquals("61", summary.group(3), "the pinned graphql-http has 61 audits: " + audit.output);
                assertEquals(0, audit.exit, audit.output);
            } finally {
                app.stop();
            }
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path dir, int seconds, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return new Result(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
    }
}
