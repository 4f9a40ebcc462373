package dev.modelgate.cli;

import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A newcomer's first mistakes with {@code serve}, as they run it (a separate JVM): each one stops
 * the start before "listening", with the cause and the remedy in the terminal and the right exit status.
 */
class StartupCheckTest {

    /** What a run printed and how it ended. */
    record Outcome(int status, String out, String err, long millis) {
        String all() {
            return out + err;
        }
    }

    static Outcome run(Path dir, java.util.Map<String, String> env, String... args) throws Exception {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(MainTest.command(args)).directory(dir.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 60 s (it should have stopped at start): " + out.getNow("") + err.getNow(""));
        }
        return new Outcome(p.exitValue(), out.get(), err.get(), (System.nanoTime() - start) / 1_000_000);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertStoppedBeforeListening(Outcome o, int status) {
        assertEquals(status, o.status(), o.all());
        assertFalse(o.out().contains("listening"), "no 'listening' line: " + o.all());
        assertTrue(o.err().contains("  fix: "), "a remedy line: " + o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace without --verbose: " + o.err());
    }

    @Test
    void aWrongPasswordStopsAtOnceWithTheDriversReasonAndNoPassword(@TempDir Path dir) throws Exception {
        MainTest.copyDemo(dir);
        TestDb.Created db = TestDb.MARIADB.create();
        try {
            Outcome o = run(dir, java.util.Map.of(), "--db", db.url(), "--db-user", "root", "--db-password", "s3cret-wrong", "--port", "0");
            assertStoppedBeforeListening(o, 1);
            assertTrue(o.err().contains("Access denied for user 'root'"), o.err());
            assertTrue(o.err().contains(db.url()), "the URL: " + o.err());
            assertTrue(o.err().contains("check the user and password"), o.err());
            assertFalse(o.all().contains("s3cret-wrong"), "the password is never printed: " + o.all());
            assertTrue(o.millis() < 20_000, "at once, not after a wait: " + o.millis() + " ms");
        } finally {
            db.drop().run();
        }
    }

    @Test
    void aPasswordInASqlAlchemyUrlIsHiddenToo(@TempDir Path dir) throws Exception {
        MainTest.copyDemo(dir);
        Outcome o = run(dir, java.util.Map.of(), "--db", "mysql://root:hunter2-wrong@127.0.0.1:3306/mysql", "--port", "0");
        assertStoppedBeforeListening(o, 1);
        assertTrue(o.err().contains("Access denied"), o.err());
        assertFalse(o.all().contains("hunter2-wrong"), o.all());
    }

    @Test
    void anUnknownDatabaseStopsAtOnceOnMariaDbAndPostgreSql(@TempDir Path dir) throws Exception {
        MainTest.copyDemo(dir);
        TestDb.MARIADB.create().drop().run();   // the servers are up (or the test says why not)
        TestDb.POSTGRESQL.create().drop().run();
        Outcome maria = run(dir, java.util.Map.of(), "--db", "mysql://root@127.0.0.1:3306/no_such_db_here", "--port", "0");
        assertStoppedBeforeListening(maria, 1);
        assertTrue(maria.err().contains("Unknown database 'no_such_db_here'"), maria.err());
        assertTrue(maria.err().contains("CREATE DATABASE"), maria.err());

        Outcome pg = run(dir, java.util.Map.of(), "--db", "postgresql://postgres@127.0.0.1:5432/no_such_db_here", "--port", "0");
        assertStoppedBeforeListening(pg, 1);
        assertTrue(pg.err().contains("database \"no_such_db_here\" does not exist"), pg.err());
    }

    @Test
    void anUnreachableServerIsWaitedForThenTheStartFails(@TempDir Path dir) throws Exception {
        MainTest.copyDemo(dir);
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();   // free, and nothing listens once closed
        }
        Outcome o = run(dir, java.util.Map.of("MODELGATE_DATABASE_STARTUP_WAIT_SECONDS", "3"),
                "--db", "postgresql://postgres@127.0.0.1:" + port + "/app", "--port", "0");
        assertStoppedBeforeListening(o, 1);
        assertTrue(o.err().contains("waiting up to 3 s for the database at jdbc:postgresql://127.0.0.1:" + port), "shown while waiting: " + o.err());
        assertTrue(o.err().contains("cannot reach the database"), o.err());
        assertTrue(o.millis() >= 3000 && o.millis() < 30_000, "waited about the setting: " + o.millis() + " ms");
    }

    @Test
    void aServerThatComesUpWhileWaitedForIsServed(@TempDir Path dir) throws Exception {
        MainTest.copyDemo(dir);
        TestDb.Created db = TestDb.MARIADB.create();
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = db.url().replace("127.0.0.1:3306", "127.0.0.1:" + port);
        Process p = new ProcessBuilder(MainTest.command("--db", url, "--db-user", "root", "--create-tables", "--port", "0"))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        try (var proxy = new TcpRelay(port, 3306)) {
            Thread.sleep(2000);   // the gateway is waiting now; the "database" comes up
            proxy.start();
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("modelgate listening")) {
                seen.append(line).append('\n');
            }
            assertTrue(line != null, "served once the database answered: " + seen);
            assertTrue(seen.toString().contains("waiting up to 30 s"), seen.toString());
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            db.drop().run();
        }
    }

    @Test
    void modelsThatDifferFromTheTablesStopTheStartWithTheListAndTheFix(@TempDir Path dir) throws Exception {
        MainTest.copyDemo(dir);
        String url = "jdbc:sqlite:" + dir.resolve("app.db");
        // create the tables once, the way a user does
        Process first = new ProcessBuilder(MainTest.command("--db", url, "--create-tables", "--port", "0")).directory(dir.toFile()).start();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
        assertTrue(reader.readLine().startsWith("modelgate listening"));
        first.destroy();
        first.waitFor(20, TimeUnit.SECONDS);

        Path world = dir.resolve("schema/world.graphqls");
        Files.writeString(world, Files.readString(world).replaceFirst("(type State[^{]*\\{)", "$1\n  slogan: String\n  founded: Date"));
        Outcome o = run(dir, java.util.Map.of(), "--db", url, "--port", "0");
        assertStoppedBeforeListening(o, 2);
        assertTrue(o.err().contains("the database does not match the models"), o.err());
        assertTrue(o.err().contains("State.slogan: column states.slogan is missing"), o.err());
        assertTrue(o.err().contains("State.founded: column states.founded is missing"), o.err());
        assertTrue(o.err().contains("migrate diff"), "the command that fixes it: " + o.err());

    }

    @Test
    void aColumnThatCannotHoldItsFieldStopsTheStartOnPostgreSql(@TempDir Path dir) throws Exception {
        TestDb.Created db = TestDb.POSTGRESQL.create();
        try {
            try (Connection c = DriverManager.getConnection(db.url(), db.user(), ""); var s = c.createStatement()) {
                s.execute("CREATE TABLE events (id SERIAL PRIMARY KEY, title TEXT NOT NULL, starts_at INTEGER, extra TEXT)");
            }
            Files.writeString(dir.resolve("events.graphqls"), """
                    type Event @model(table: "events") {
                      id: Int! @id
                      title: String!
                      startsAt: DateTime
                    }
                    """);
            Outcome o = run(dir, java.util.Map.of(), "--db", db.url(), "--db-user", db.user(), "--schema", "events.graphqls", "--port", "0");
            assertStoppedBeforeListening(o, 2);
            assertTrue(o.err().contains("Event.startsAt: DateTime cannot be read from column events.starts_at"), o.err());
            assertFalse(o.err().contains("extra"), "an extra column is fine: " + o.err());
        } finally {
            db.drop().run();
        }
    }

    @Test
    void aSqlitePathThatDoesNotExistIsNotCreated(@TempDir Path dir) throws Exception {
        MainTest.copyDemo(dir);
        Outcome intro = run(dir, java.util.Map.of(), "introspect", "--db", "jdbc:sqlite:typo.db");
        assertStoppedBeforeListening(intro, 1);
        assertTrue(intro.err().contains("no SQLite database at " + dir.toRealPath().resolve("typo.db")), intro.err());
        assertFalse(Files.exists(dir.resolve("typo.db")), "no empty file left behind");

        Outcome serve = run(dir, java.util.Map.of(), "--db", "sqlite:///typo.db", "--introspect", "--port", "0");
        assertStoppedBeforeListening(serve, 1);
        assertFalse(Files.exists(dir.resolve("typo.db")));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("empty.db"))) {
            c.createStatement().execute("PRAGMA user_version = 1");   // the file exists, with no tables
        }
        Outcome empty = run(dir, java.util.Map.of(), "--db", "jdbc:sqlite:empty.db", "--introspect", "--port", "0");
        assertStoppedBeforeListening(empty, 1);
        assertTrue(empty.err().contains("has no tables to read"), empty.err());
    }

    @Test
    void migrateWithABadConnectionSaysWhyInTwoLines(@TempDir Path dir) throws Exception {
        TestDb.MARIADB.create().drop().run();   // the server is up
        MainTest.copyDemo(dir);
        for (String command : List.of("apply", "status", "diff")) {
            Outcome o = run(dir, java.util.Map.of(), "migrate", command, "--db", "mysql://root:nope@127.0.0.1:3306/mysql");
            assertEquals(1, o.status(), o.all());
            assertTrue(o.err().startsWith("modelgate: the database at jdbc:mysql://127.0.0.1:3306/mysql refused the connection: Access denied"), o.err());
            assertEquals(2, o.err().lines().count(), "a cause and a fix: " + o.err());
            assertFalse(o.err().contains("Flyway") || o.err().contains("-----"), o.err());
        }
    }

    @Test
    void helpWorksAndMistypedWordsGetTheClosestName(@TempDir Path dir) throws Exception {
        Outcome help = run(dir, java.util.Map.of(), "help");
        assertEquals(0, help.status(), help.all());
        assertTrue(help.out().contains("migrate") && help.out().contains("serve"), help.out());

        Outcome flag = run(dir, java.util.Map.of(), "--prot", "8080");
        assertEquals(2, flag.status());
        assertTrue(flag.err().contains("did you mean --port?"), flag.err());

        Outcome command = run(dir, java.util.Map.of(), "serv");
        assertEquals(2, command.status());
        assertTrue(command.err().contains("did you mean 'serve'?"), command.err());

        Outcome sub = run(dir, java.util.Map.of(), "migrate", "aply");
        assertEquals(2, sub.status());
        assertTrue(sub.err().contains("did you mean apply?"), sub.err());
    }

    /** A TCP relay to a local port that starts accepting only when told: a database server that comes up late. */
    static final class TcpRelay implements AutoCloseable {
        private final int port;
        private final int target;
        private java.net.ServerSocket server;

        TcpRelay(int port, int target) {
            this.port = port;
            this.target = target;
        }

        void start() throws java.io.IOException {
            server = new java.net.ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        java.net.Socket in = server.accept();
                        java.net.Socket out = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), target);
                        pump(in, out);
                        pump(out, in);
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "relay-accept");
            accept.setDaemon(true);
            accept.start();
        }

        private static void pump(java.net.Socket from, java.net.Socket to) {
            Thread t = new Thread(() -> {
                try {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (java.io.IOException ignored) {
                    // one side closed
                } finally {
                    try {
                        to.close();
                        from.close();
                    } catch (java.io.IOException ignored) {
                        // closing
                    }
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws java.io.IOException {
            if (server != null) {
                server.close();
            }
        }
    }
}
