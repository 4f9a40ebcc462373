package dev.modelgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.config.Config;
import dev.modelgate.exec.Gateway;
import dev.modelgate.server.HttpServer;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live queries at scale: 10,000 subscribers over WebSockets (100 connections of 100), first on
 * one document, then on 100 distinct variable sets of one document; after each of a few writes,
 * the statements the re-runs cost and how long each subscriber waited for the new result (push
 * latency, from the write's answer to the subscriber's message). Clients and gateway share the
 * JVM; run with {@code mvn -B -Pbench -Dbench.main=dev.modelgate.bench.LiveBenchmark -Dbench.heap=256m}
 * (-Dbench.subscribers, -Dbench.db=MARIADB). Writes docs/benchmarks/live.md.
 */
public final class LiveBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The states and cities of the HTTP benchmark. */
    static final String SDL = Benchmark.SDL;

    /** One connection of many subscriptions: when each subscription last received a result. */
    static final class Client implements WebSocket.Listener {
        final StringBuilder partial = new StringBuilder();
        final AtomicInteger nexts = new AtomicInteger();
        final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
        volatile boolean acked;
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String m = partial.toString();
                partial.setLength(0);
                if (m.contains("\"connection_ack\"")) {
                    acked = true;
                } else if (m.startsWith("{\"type\":\"next\"")) {
                    nexts.incrementAndGet();
                    arrivals.add(System.nanoTime());
                }
            }
            w.request(1);
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 10000);
        TestDb db = TestDb.valueOf(System.getProperty("bench.db", "MARIADB"));
        Path out = Path.of(System.getProperty("bench.out", "docs/benchmarks"));
        StringBuilder report = new StringBuilder("# Live queries at scale\n\nWritten by `mvn -B -Pbench -Dbench.main=dev.modelgate.bench.LiveBenchmark -Dbench.heap=256m`"
                + " on " + java.time.LocalDate.now() + ", " + db + ", " + subscribers + " subscribers over WebSockets (connections of 100)"
                + ", clients and gateway in one JVM (" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB max heap), 2 cores.\n\n"
                + "| subscriptions | distinct results (groups) | re-runs per write (cohorts) | statements per write (all its re-runs) | push p50 ms | push p99 ms | heap after GC MB |\n|---|---|---|---|---|---|---|\n");
        try (Fixture f = Fixture.on(db, SDL)) {
            StringBuilder states = new StringBuilder("INSERT INTO states (id, name) VALUES ");
            StringBuilder cities = new StringBuilder("INSERT INTO cities (id, name, state_id) VALUES ");
            for (int i = 1; i <= 100; i++) {
                states.append(i > 1 ? ", " : "").append("(").append(i).append(", 'State ").append(i).append("')");
                for (int j = 1; j <= 5; j++) {
                    int id = (i - 1) * 5 + j;
                    cities.append(id > 1 ? ", " : "").append("(").append(id).append(", 'City ").append(id).append("', ").append(i).append(")");
                }
            }
            f.sql(states.toString(), cities.toString());
            Config.Server quiet = new Config.Server();
            quiet.logRequests = false;
            Config.Subscriptions live = new Config.Subscriptions();
            live.pollMillis = 60_000;   // only writes make re-runs here: each measured write is one round
            HttpServer server = HttpServer.create(new Gateway(f.models, f.db), quiet, live, null, dev.modelgate.auth.Authenticator.none())
                    .start("127.0.0.1", 0);
            try {
                report.append(round(f, server, subscribers, false));
                report.append(round(f, server, subscribers, true));
            } finally {
                server.stop();
            }
        }
        report.append("\n*statements per write*: the SQL statements the database received between a write's answer and the last"
                + " subscriber's new result, less the write's own. *push*: from the write's answer to each subscriber's `next`.\n"
                + "The 100 variable sets of one document are one cohort: each re-run is one statement per level for all of them"
                + " (a UNION ALL of the sets' reads), so a write costs what it costs one subscriber.\n");
        Files.createDirectories(out);
        Files.writeString(out.resolve("live.md"), report.toString());
        System.out.println(report);
        System.exit(0);
    }

    static String round(Fixture f, HttpServer server, int subscribers, boolean distinct) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<Client> clients = new ArrayList<>();
        int perConnection = 100;
        for (int c = 0; c < subscribers / perConnection; c++) {
            Client client = new Client();
            client.ws = http.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/graphql"), client).get(10, TimeUnit.SECONDS);
            client.ws.sendText("{\"type\":\"connection_init\"}", true).get();
            while (!client.acked) {
                Thread.sleep(1);
            }
            for (int i = 0; i < perConnection; i++) {
                int state = distinct ? (c * perConnection + i) % 100 + 1 : 1;
                Map<String, Object> msg = Map.of("type", "subscribe", "id", "s" + i, "payload", Map.of(
                        "query", "subscription($id: Int!) { states(where: {id: {lte: $id}}) { name cities { name } } }",
                        "variables", Map.of("id", distinct ? state : 100)));
                client.ws.sendText(JSON.writeValueAsString(msg), true).get();
            }
            clients.add(client);
        }
        waitFor(() -> clients.stream().mapToInt(c -> c.nexts.get()).sum() >= subscribers);
        List<Long> pushes = new ArrayList<>();
        long statements = 0;
        int writes = 3;
        long writeCost = writeCost(f);
        for (int w = 0; w < writes; w++) {
            clients.forEach(c -> c.arrivals.clear());
            int before = clients.stream().mapToInt(c -> c.nexts.get()).sum();
            settle(f);   // runs for late joiners' first results are over
            long count = f.db.observer().count();
            String body = "{\"query\": \"mutation { updateState(id: 1, set: {name: \\\"State 1 #" + w + "\\\"}) { id } }\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (r.statusCode() != 200 || r.body().contains("errors")) {
                throw new IllegalStateException(r.body());
            }
            waitFor(() -> clients.stream().mapToInt(c -> c.nexts.get()).sum() >= before + subscribers);
            statements += f.db.observer().count() - count - writeCost;
            clients.forEach(c -> c.arrivals.forEach(t -> pushes.add(Math.max(0, t - answered))));
        }
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        long[] sorted = pushes.stream().mapToLong(Long::longValue).sorted().toArray();
        for (Client c : clients) {
            c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
        int groups = distinct ? 100 : 1;
        return "| " + subscribers + (distinct ? " (100 variable sets)" : " (one document)") + " | " + groups + " | 1 | "
                + String.format("%.1f", statements / (double) writes) + " | " + ms(sorted, 0.5) + " | " + ms(sorted, 0.99) + " | " + heap + " |\n";
    }

    /** The statements of the measured write itself (3: its key, the UPDATE, the row read back), counted with nobody subscribed. */
    static long writeCost(Fixture f) {
        long count = f.db.observer().count();
        f.data("mutation { updateState(id: 2, set: {name: \"State 2\"}) { id } }");
        return f.db.observer().count() - count;
    }

    /** Waits until no statement has run for half a second. */
    static void settle(Fixture f) throws InterruptedException {
        long last = -1;
        while (f.db.observer().count() != last) {
            last = f.db.observer().count();
            Thread.sleep(500);
        }
    }

    private static String ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return "—";
        }
        return String.format("%.1f", sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6);
    }

    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(2);
        }
    }
}
