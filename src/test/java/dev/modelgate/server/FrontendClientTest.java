package dev.modelgate.server;

import dev.modelgate.config.Config;
import dev.modelgate.exec.Gateway;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ecosystem's own clients against a running gateway, with the configuration it serves and
 * nothing written by hand: Apollo Client 4's InMemoryCache, urql's graphcache, GraphQL Code
 * Generator with TypeScript's strict compiler, and graphql-js reading /schema.graphql against
 * introspection. The Node scripts are in src/test/node, their packages pinned in its
 * package-lock.json (installed by {@code npm ci} when absent).
 */
class FrontendClientTest {
    static final String SDL = """
            type State @model(table: "states") {
              id: Int! @id
              name: String!
              cities: [City!]! @hasMany(key: "stateId")
            }
            type City @model(table: "cities") {
              id: Int! @id
              name: String!
              stateId: Int!
              state: State! @belongsTo(key: "stateId")
            }
            type Country @model(table: "countries") {
              code: String! @id
              name: String!
            }
            type Shelf @model(table: "shelves") {
              room: String! @id
              slot: Int! @id
              label: String
            }
            type Account @model(table: "accounts") {
              id: Int! @id
              views: Long!
              balance: BigDecimal! @column(precision: 20, scale: 2)
              opened: DateTime! @default(value: "now")
            }
            """;
    static final Path NODE = Path.of("src/test/node");

    static Fixture f;
    static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        installPackages();
        f = Fixture.on(TestDb.MARIADB, SDL);   // MySQL first; and SQLite keeps a decimal as a 64-bit float
        f.sql("INSERT INTO states (id, name) VALUES (1, 'California'), (2, 'Nevada')",
                "INSERT INTO cities (id, name, state_id) VALUES (1, 'San Jose', 1), (2, 'Fremont', 1), (3, 'Reno', 2), (4, 'Zephyr Cove', 2)",
                "INSERT INTO countries (code, name) VALUES ('FR', 'France'), ('DE', 'Germany')",
                "INSERT INTO shelves (room, slot, label) VALUES ('A', 1, 'one'), ('A', 2, 'two'), ('B', 1, 'three')");
        Config.Server quiet = new Config.Server();
        quiet.logRequests = false;
        server = HttpServer.create(new Gateway(f.models, f.db), quiet, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (f != null) {
            f.close();
        }
    }

    /** The pinned packages, installed from the lock file the first time (the machine's npm registry). */
    static void installPackages() throws Exception {
        if (Files.isDirectory(NODE.resolve("node_modules"))) {
            return;
        }
        Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(NODE.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("npm ci in " + NODE + " failed:\n" + out);
        }
    }

    /**
     * Runs one check script against the server, with the libraries' development builds (their
     * warnings on); its output names each check, and it exits 0 only when all pass.
     */
    static void node(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", "--conditions=development", script, "http://127.0.0.1:" + server.port()).directory(NODE.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        System.out.println("node " + script + ":\n" + out);
        assertEquals(List.of(true, 0), List.of(finished, finished ? p.exitValue() : -1), script + " failed:\n" + out);
    }

    @Test
    void apolloClientCachesEveryQueryCorrectlyWithTheServedTypePolicies() throws Exception {
        node("apollo.mjs");
    }

    @Test
    void urqlGraphcacheCachesEveryQueryCorrectlyWithTheServedKeys() throws Exception {
        node("urql.mjs");
    }

    @Test
    void theServedSdlIsTheLiveSchemaAndEveryScalarNamesItsFormat() throws Exception {
        node("sdl.mjs");
    }

    @Test
    void codegenWithTheServedScalarsCompilesUnderStrictTypeScript() throws Exception {
        node("codegen.mjs");
    }
}
