package dev.modelgate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.modelgate.error.CommandFailure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings: defaults, then the YAML file, then MODELGATE_* variables. */
class ConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Config c = Config.load(null, Map.of());
        assertEquals("127.0.0.1", c.server.host);
        assertEquals(8080, c.server.port);
        assertEquals(1024 * 1024, c.server.maxBodyBytes);
        assertTrue(c.server.graphiql);
        assertEquals(List.of(), c.server.corsOrigins);
        assertNull(c.database.url);
        assertEquals("schema", c.schema);
        assertEquals(12, c.limits.maxDepth);
        assertEquals(1000, c.limits.maxFields);
        assertEquals(100, c.limits.maxAliases);
        assertEquals(10000, c.limits.maxRows);
        assertEquals(10, c.limits.statementTimeoutSeconds);
        assertTrue(c.limits.introspection);
        assertNull(c.auth.adminSecret);
        assertEquals("role", c.auth.roleClaim);
    }

    @Test
    void limitsAndAuthComeFromTheFileAndTheContractsVariables(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("modelgate.yaml");
        Files.writeString(file, "limits:\n  maxDepth: 5\n  introspection: false\nauth:\n  defaultRole: viewer\n");
        Config c = Config.load(file, Map.of("MODELGATE_ADMIN_SECRET", "adm", "MODELGATE_JWT_SECRET", "jwt",
                "MODELGATE_LIMITS_MAX_ROWS", "50"));
        assertEquals(5, c.limits.maxDepth);
        assertFalse(c.limits.introspection);
        assertEquals(50, c.limits.maxRows);
        assertEquals("viewer", c.auth.defaultRole);
        assertEquals("adm", c.auth.adminSecret);
        assertEquals("jwt", c.auth.jwtSecret);
    }

    @Test
    void theFileSetsAndTheEnvironmentOverrides(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("modelgate.yaml");
        Files.writeString(file, """
                schema: models/
                server:
                  port: 9000
                  corsOrigins: [http://a.example, http://b.example]
                  graphiql: false
                database:
                  url: jdbc:postgresql://db:5432/app
                  user: app
                """);
        Config c = Config.load(file, Map.of(
                "MODELGATE_SERVER_PORT", "9100",
                "MODELGATE_DB_PASSWORD", "s3cret",
                "MODELGATE_SERVER_CORS_ORIGINS", "http://c.example, http://d.example",
                "MODELGATE_DATABASE_POOL_SIZE", "3",
                "PATH", "/usr/bin"));
        assertEquals("models/", c.schema);
        assertEquals(9100, c.server.port);
        assertFalse(c.server.graphiql);
        assertEquals(List.of("http://c.example", "http://d.example"), c.server.corsOrigins);
        assertEquals("jdbc:postgresql://db:5432/app", c.database.url);
        assertEquals("app", c.database.user);
        assertEquals("s3cret", c.database.password);
        assertEquals(3, c.database.poolSize);
    }

    /** The failure a configuration gives, as one "cause / fix" text. */
    private static String failure(Path file, Map<String, String> env) {
        CommandFailure e = assertThrows(CommandFailure.class, () -> Config.load(file, env));
        assertEquals(CommandFailure.USAGE, e.status());
        return e.getMessage() + " / fix: " + e.remedy();
    }

    @Test
    void anUnknownSettingIsNamedWithItsFileLineAndTheClosestSetting(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "# settings\nserver:\n  host: 0.0.0.0\n  prot: 9000\n");
        String m = failure(file, Map.of());
        assertTrue(m.startsWith(file + ":4: unknown setting server.prot"), m);
        assertTrue(m.contains("did you mean server.port?"), m);
    }

    @Test
    void aValueOfTheWrongTypeNamesTheFileLineSettingAndWhatItTakes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "server:\n  port: lots\n");
        String m = failure(file, Map.of());
        assertTrue(m.startsWith(file + ":2: setting server.port takes a whole number, not \"lots\""), m);
        assertTrue(m.contains("its default is 8080"), m);

        Files.writeString(file, "limits:\n  maxRows: 10\n  introspection: sometimes\n");
        m = failure(file, Map.of());
        assertTrue(m.startsWith(file + ":3: setting limits.introspection takes true or false"), m);

        Files.writeString(file, "database: jdbc:sqlite:x.db\n");
        m = failure(file, Map.of());
        assertTrue(m.startsWith(file + ":1: database is a section of settings, not a value"), m);
    }

    @Test
    void aVariableOfTheWrongTypeIsNamed() {
        String m = failure(null, Map.of("MODELGATE_LIMITS_MAX_ROWS", "many"));
        assertTrue(m.startsWith("variable MODELGATE_LIMITS_MAX_ROWS: setting limits.maxRows takes a whole number, not \"many\""), m);
    }

    @Test
    void aYamlSyntaxErrorHasItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "server:\n  port: 9000\n corsOrigins: [a\n");
        String m = failure(file, Map.of());
        assertTrue(m.matches("(?s)" + java.util.regex.Pattern.quote(file.toString()) + ":3:\\d+: not valid YAML: .+"), m);
        assertFalse(m.contains("\n"), "one line: " + m);
    }

    @Test
    void aMissingFileIsSaidOnce(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        String m = failure(file, Map.of());
        assertEquals("no configuration file at " + file.toAbsolutePath() + " / fix: check the path given to --config", m);
    }

    @Test
    void aMisspelledVariableIsAWarningNamingTheClosestSetting() {
        Config c = Config.load(null, Map.of("MODELGATE_SERVER_PROT", "9000", "MODELGATE_DB_PASWORD", "x", "MODELGATE_SERVER_PORT", "9001"));
        assertEquals(9001, c.server.port);
        assertEquals(List.of("MODELGATE_DB_PASWORD is not a setting and is ignored; did you mean MODELGATE_DB_PASSWORD?",
                "MODELGATE_SERVER_PROT is not a setting and is ignored; did you mean MODELGATE_SERVER_PORT?"), c.warnings);
        assertEquals(List.of(), Config.load(null, Map.of("MODELGATE_SERVER_PORT", "9001")).warnings);
    }
}
