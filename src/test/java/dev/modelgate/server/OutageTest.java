package dev.modelgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.config.Config;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database server really stops for a few seconds under concurrent reads and writes over
 * HTTP, and starts again (with the commands .ci/run uses). Every failed reply is a GraphQL
 * error with DATABASE_UNAVAILABLE, never HTTP 500; once the database is known down, replies
 * come at once; the gateway answers again within a few seconds of the database, by itself; every
 * acknowledged write is stored, and a stored write that was not acknowledged is one whose reply
 * said its outcome was unknown.
 */
class OutageTest {
    static final String SDL = """
            type Entry @model(table: "entries") {
              id: Int! @id
              note: String! @column(length: 64)
            }
            """;
    static final long OUTAGE_MS = 5000;
    /** The bound on recovery: from the database answering its own ping to the first acknowledged write. */
    static final long RECOVERY_BOUND_MS = 10_000;

    record Reply(int status, List<String> codes, String body, long millis, long at) {
    }

    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"MARIADB", "POSTGRESQL"})
    void anOutageEndsInTheContractsAnswersAndLosesNoAcknowledgedWrite(TestDb db) throws Exception {
        try (Fixture f = Fixture.on(db, SDL)) {
            HttpServer server = HttpServer.create(f.gateway, new Config.Server(), null).start("127.0.0.1", 0);
            String url = "http://127.0.0.1:" + server.port() + "/graphql";
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<Reply> replies = Collections.synchronizedList(new ArrayList<>());
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Set<String> unknown = ConcurrentHashMap.newKeySet();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong written = new AtomicLong();
            long t0 = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(6);
            for (int c = 0; c < 6; c++) {
                boolean writer = c < 4;
                int client = c;
                clients.submit(() -> {
                    for (int n = 0; running.get(); n++) {
                        String note = "c" + client + "-" + n;
                        String query = writer ? "mutation { createEntry(data: {note: \"" + note + "\"}) { id } }"
                                : "{ entriesAggregate { count } }";
                        Reply r = send(http, url, query, t0);
                        replies.add(r);
                        if (writer && r.status() == 200 && r.codes().isEmpty()) {
                            acknowledged.add(note);
                            written.incrementAndGet();
                        } else if (writer && r.body().contains("unknown")) {
                            unknown.add(note);
                        }
                        if (!r.codes().isEmpty()) {
                            pause(20);
                        }
                    }
                    return null;
                });
            }
            long up;
            try {
                pause(1500);
                long before = written.get();
                assertTrue(before > 0, "writes go through before the outage");
                Services.stop(db);
                long stoppedAt = millis(t0);
                pause(OUTAGE_MS);
                Services.start(db);
                up = millis(t0);
                long writesAtStart = written.get();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_BOUND_MS + 5000);
                while (written.get() == writesAtStart && System.nanoTime() < deadline) {
                    pause(20);
                }
                pause(1000);
                running.set(false);
                clients.shutdown();
                assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
                List<Reply> all = new ArrayList<>(replies);
                long recovered = all.stream().filter(r -> r.at() >= up && r.codes().isEmpty() && r.status() == 200)
                        .mapToLong(Reply::at).min().orElse(Long.MAX_VALUE);
                List<Reply> failed = all.stream().filter(r -> !r.codes().isEmpty() || r.status() != 200).toList();
                List<Long> failFast = failed.stream().filter(r -> r.at() > stoppedAt + 1000 && r.at() < up).map(Reply::millis).sorted().toList();
                System.out.printf("outage on %s: %d replies, %d failed, median failed reply %d ms during the outage, "
                                + "first acknowledged write %d ms after the database answered, %d acknowledged, %d unknown%n",
                        db, all.size(), failed.size(), failFast.isEmpty() ? -1 : failFast.get(failFast.size() / 2),
                        recovered - up, acknowledged.size(), unknown.size());
                for (Reply r : all) {
                    assertTrue(r.status() != 500, "no HTTP 500: " + r.body());
                }
                for (Reply r : failed) {
                    assertEquals(200, r.status(), r.body());
                    assertEquals(Set.of("DATABASE_UNAVAILABLE"), new HashSet<>(r.codes()), r.body());
                    assertTrue(!r.body().toLowerCase().contains("jdbc") && !r.body().contains("SQLException")
                            && !r.body().toLowerCase().contains("insert into"), "no driver text: " + r.body());
                }
                assertTrue(!failed.isEmpty(), "the outage was seen");
                assertTrue(failFast.size() > 10, "requests kept coming during the outage: " + failFast.size());
                assertTrue(failFast.get(failFast.size() / 2) < 500,
                        "once the database is known down, replies come at once: median " + failFast.get(failFast.size() / 2) + " ms");
                assertTrue(recovered - up <= RECOVERY_BOUND_MS, "answers again within " + RECOVERY_BOUND_MS + " ms: " + (recovered - up)
                        + "; replies after the database answered: " + all.stream().filter(r -> r.at() >= up).limit(5)
                        .map(r -> r.at() - up + " ms " + r.status() + " " + r.body()).toList());
            } finally {
                running.set(false);
                clients.shutdownNow();
                Services.start(db);
                server.stop();
            }
            Set<String> stored = new HashSet<>();
            for (JsonNode e : f.data("{ entries(limit: 10000) { note } }").get("entries")) {
                stored.add(e.get("note").asText());
            }
            for (String note : acknowledged) {
                assertTrue(stored.contains(note), "acknowledged write " + note + " is stored");
            }
            for (String note : stored) {
                assertTrue(acknowledged.contains(note) || unknown.contains(note),
                        "stored write " + note + " was acknowledged, or its reply said the outcome was unknown");
            }
        }
    }

    private static Reply send(HttpClient http, String url, String query, long t0) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Fixture.JSON.writeValueAsString(java.util.Map.of("query", query)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> codes = new ArrayList<>();
            JsonNode errors = Fixture.JSON.readTree(r.body()).get("errors");
            if (errors != null) {
                errors.forEach(e -> codes.add(e.at("/extensions/code").asText("NONE")));
            }
            return new Reply(r.statusCode(), codes, r.body(), (System.nanoTime() - start) / 1_000_000, millis(t0));
        } catch (Exception e) {
            return new Reply(-1, List.of("NO_REPLY"), String.valueOf(e), (System.nanoTime() - start) / 1_000_000, millis(t0));
        }
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops and starts the database servers as .ci/run does (this machine kind runs them as plain services). */
    static final class Services {
        static void stop(TestDb db) throws Exception {
            switch (db) {
                case MARIADB -> run("mariadb-admin", "-uroot", "-h127.0.0.1", "shutdown");
                case POSTGRESQL -> run("pg_ctlcluster", "--skip-systemctl-redirect", pgVersion(), "main", "stop", "-m", "fast");
                default -> throw new IllegalArgumentException(db.name());
            }
        }

        static void start(TestDb db) throws Exception {
            switch (db) {
                case MARIADB -> {
                    if (!ready("mariadb-admin", "-uroot", "-h127.0.0.1", "ping")) {
                        run("start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd", "--", "--user=root");
                    }
                    await("mariadb-admin", "-uroot", "-h127.0.0.1", "ping");
                }
                case POSTGRESQL -> {
                    if (!ready("pg_isready", "-h", "127.0.0.1", "-p", "5432")) {
                        run("pg_ctlcluster", "--skip-systemctl-redirect", pgVersion(), "main", "start");
                    }
                    await("pg_isready", "-h", "127.0.0.1", "-p", "5432");
                }
                default -> throw new IllegalArgumentException(db.name());
            }
        }

        private static String pgVersion() throws Exception {
            try (var s = Files.list(Path.of("/etc/postgresql"))) {
                return s.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
            }
        }

        private static void await(String... ping) throws Exception {
            for (int i = 0; i < 300; i++) {
                if (ready(ping)) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("not up after 30 s: " + String.join(" ", ping));
        }

        private static boolean ready(String... ping) throws Exception {
            Process p = new ProcessBuilder(ping).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        }

        private static void run(String... command) throws Exception {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        }
    }
}
