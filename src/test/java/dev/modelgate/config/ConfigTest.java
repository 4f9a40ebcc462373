package dev.modelgate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

    @Test
    void anUnknownOrMistypedSettingIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "server:\n  prot: 9000\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Config.load(file, Map.of()));
        assertTrue(e.getMessage().contains("unknown setting server.prot"), e.getMessage());
        Files.writeString(file, "server:\n  port: lots\n");
        e = assertThrows(IllegalArgumentException.class, () -> Config.load(file, Map.of()));
        assertTrue(e.getMessage().contains("bad configuration"), e.getMessage());
    }
}
