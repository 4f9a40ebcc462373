package dev.modelgate.exec;

import dev.modelgate.db.Database;
import dev.modelgate.db.DbUrl;
import dev.modelgate.db.Replicas;
import dev.modelgate.db.SchemaSetup;
import dev.modelgate.server.HttpServer;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.MariadbServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read replicas on real servers: a MariaDB primary and a replica following it by GTID, each a
 * mariadbd of the test's own on loopback. Query reads land on the replica and writes on the
 * primary (statements counted per server); with replication paused, a query that sends back its
 * mutation's consistency token still sees the write (the primary serves it) and one without it
 * reads the replica; killing the replica under load loses no request and moves the reads to the
 * primary, and it is taken back when it returns.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadReplicaTest {
    static final String SDL = "type Note @model(table: \"notes\") { id: Int! @id  body: String! }";

    static MariadbServers servers;
    static MariadbServers.Server primary;
    static MariadbServers.Server replica;
    static Database db;
    static Replicas replicas;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        servers = new MariadbServers();
        primary = servers.start(1);
        replica = servers.start(2, "--read-only");
        MariadbServers.replicate(primary, replica);
        primary.sql("CREATE DATABASE app CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        Models models = ModelParser.parse(List.of(new ModelParser.Source("test.graphqls", SDL)));
        db = Database.open(DbUrl.parse(primary.url("app"), "root", null));
        SchemaSetup.createMissingTables(db, models);
        db.executeAll(List.of("INSERT INTO notes (id, body) VALUES (1, 'one'), (2, 'two')"));
        MariadbServers.caughtUp(primary, replica);
        replicas = new Replicas(List.of(DbUrl.parse(replica.url("app"), "root", null)), 4, 5);
        db.readFrom(replicas);
        gateway = new Gateway(models, db);
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
        if (servers != null) {
            servers.close();
        }
    }

    /** The statements each server ran during {@code work}: [primary, replica]. */
    static List<List<String>> perServer(Runnable work) {
        List<String> onPrimary = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> onReplica = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable a = db.observer().listen(onPrimary::add);
        Runnable b = replicas.all().get(0).database().observer().listen(onReplica::add);
        try {
            work.run();
        } finally {
            a.run();
            b.run();
        }
        return List.of(onPrimary, onReplica);
    }

    static Map<String, Object> run(String query, String consistency) {
        return gateway.execute(new Gateway.Request(query, Map.of(), null, null, false, consistency));
    }

    @Test
    @Order(1)
    void queriesReadTheReplicaAndMutationsWriteThePrimary() {
        List<List<String>> read = perServer(() -> assertEquals(2, Fixture.dataOf(run("{ notes { id body } }", null)).get("notes").size()));
        assertEquals(List.of(), read.get(0), "nothing read from the primary");
        assertEquals(1, read.get(1).size(), "the query's statement ran on the replica: " + read.get(1));

        List<List<String>> live = perServer(() -> gateway.executeLive(List.of(
                new Gateway.Request("subscription { notes { id } }", Map.of(), null, null, true))));
        assertEquals(List.of(), live.get(0), "a live query's re-run reads the replica too");
        assertEquals(1, live.get(1).size());

        List<List<String>> wrote = perServer(() -> {
            Map<String, Object> r = run("mutation { createNote(data: {id: 3, body: \"three\"}) { id body } }", null);
            assertNull(r.get("errors"), String.valueOf(r.get("errors")));
        });
        assertFalse(wrote.get(0).isEmpty(), "the mutation ran on the primary");
        assertEquals(List.of(), wrote.get(1), "a mutation, and every read inside it, uses the primary: " + wrote.get(1));
        MariadbServers.caughtUp(primary, replica);
    }

    @Test
    @Order(2)
    void aQueryWithItsMutationsConsistencyTokenReadsItsOwnWrite() {
        replica.sql("STOP SLAVE SQL_THREAD");   // the replica falls behind from here
        try {
            Map<String, Object> created = run("mutation { createNote(data: {id: 10, body: \"mine\"}) { id } }", null);
            assertNull(created.get("errors"), String.valueOf(created.get("errors")));
            @SuppressWarnings("unchecked")
            String token = (String) ((Map<String, Object>) created.get("extensions")).get("consistency");
            assertNotNull(token, "a mutation's response carries the primary's position");
            assertEquals(String.valueOf(primary.value("SELECT @@gtid_binlog_pos")), token);

            String q = "{ note(id: 10) { body } }";
            List<List<String>> mine = perServer(() -> assertEquals("mine", Fixture.dataOf(run(q, token)).at("/note/body").asText()));
            assertEquals(1, mine.get(0).size(), "the replica has not reached the write: the primary served it: " + mine);
            List<List<String>> any = perServer(() -> assertTrue(Fixture.dataOf(run(q, null)).get("note").isNull(),
                    "without the token, the lagging replica answers (and has no such row yet)"));
            assertEquals(List.of(), any.get(0));
            assertEquals(1, any.get(1).size());
        } finally {
            replica.sql("START SLAVE SQL_THREAD");
        }
        MariadbServers.caughtUp(primary, replica);
        String token = String.valueOf(primary.value("SELECT @@gtid_binlog_pos"));
        List<List<String>> caughtUp = perServer(() -> assertEquals("mine", Fixture.dataOf(run("{ note(id: 10) { body } }", token)).at("/note/body").asText()));
        assertEquals(List.of(), caughtUp.get(0), "once the replica has reached the token, it serves the read");
    }

    @Test
    @Order(3)
    void aReplicaFurtherBehindThanTheLimitServesNoReadsUntilItCatchesUp() throws Exception {
        replica.sql("STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = 30", "START SLAVE");   // it applies each write 30 s late
        try {
            run("mutation { createNote(data: {id: 20, body: \"late\"}) { id } }", null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (replicas.all().get(0).lagSeconds() == null || replicas.all().get(0).lagSeconds() <= 5) {
                assertTrue(System.nanoTime() < deadline, "the replica reports its lag: " + replicas.all().get(0).lagSeconds());
                Thread.sleep(250);
                replicas.checkAll();
            }
            List<List<String>> read = perServer(() -> assertEquals("late", Fixture.dataOf(run("{ note(id: 20) { body } }", null)).at("/note/body").asText()));
            assertEquals(1, read.get(0).size(), "a replica " + replicas.all().get(0).lagSeconds() + " s behind (limit 5) is skipped: " + read);
            assertEquals(List.of(), read.get(1));
            HttpServer http = HttpServer.create(gateway).start("127.0.0.1", 0);
            try {
                String health = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + http.port() + "/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(health.contains("\"replica\":\"") && health.contains("\"state\":\"UP\"") && health.matches("(?s).*\"lagSeconds\":([6-9]|[1-9][0-9]).*"),
                        "/health lists the replica, up, with its lag: " + health);
            } finally {
                http.stop();
            }
        } finally {
            replica.sql("STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = 0", "START SLAVE");
        }
        MariadbServers.caughtUp(primary, replica);
        replicas.checkAll();
        List<List<String>> back = perServer(() -> run("{ notes { id } }", null));
        assertEquals(List.of(), back.get(0), "caught up, it serves reads again");
    }

    @Test
    @Order(4)
    void killingTheReplicaUnderLoadLosesNoRequestAndTheReadsMoveToThePrimary() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<int[]>> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(pool.submit(() -> {
                int ok = 0;
                int failed = 0;
                while (!stop.get()) {
                    Map<String, Object> r = run("{ notes(orderBy: [{id: ASC}]) { id body } }", null);
                    if (r.get("errors") == null && Fixture.dataOf(r).get("notes").size() >= 3) {
                        ok++;
                    } else {
                        failed++;
                    }
                }
                return new int[]{ok, failed};
            }));
        }
        Thread.sleep(1000);
        replica.kill();
        Thread.sleep(2000);
        stop.set(true);
        int ok = 0;
        int failed = 0;
        for (Future<int[]> c : clients) {
            int[] r = c.get(60, TimeUnit.SECONDS);
            ok += r[0];
            failed += r[1];
        }
        pool.shutdown();
        System.out.println("replica killed under load: " + ok + " answered, " + failed + " failed");
        assertEquals(0, failed, "a read whose replica went away is read from the primary");
        assertTrue(ok > 100, "the load ran: " + ok);
        replicas.checkAll();
        assertFalse(replicas.all().get(0).up(), "the replica is reported down");
        List<List<String>> after = perServer(() -> run("{ notes { id } }", null));
        assertEquals(1, after.get(0).size(), "the reads go to the primary");

        replica.restart();   // it comes back, catches up, and is taken back
        MariadbServers.caughtUp(primary, replica);
        replicas.checkAll();
        assertTrue(replicas.all().get(0).up(), "the replica is reported up again");
        List<List<String>> back = perServer(() -> run("{ notes { id } }", null));
        assertEquals(List.of(), back.get(0), "the reads go to the replica again");
        assertEquals(1, back.get(1).size());
    }
}
