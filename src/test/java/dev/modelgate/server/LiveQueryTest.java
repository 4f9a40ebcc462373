package dev.modelgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.auth.Authenticator;
import dev.modelgate.config.Config;
import dev.modelgate.exec.Gateway;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live queries over graphql-transport-ws: the reference client (graphql-ws, under Node) for the
 * protocol and its answers, and the JDK's WebSocket client for scale: a thousand subscribers of one
 * document cost the statements of one re-run.
 */
class LiveQueryTest {
    static final String SDL = """
            type State @model(table: "states") @allow(role: "anonymous", read: {id: {eq: 1}}) {
              id: Int! @id
              name: String!
              cities: [City!]! @hasMany(key: "stateId")
            }
            type City @model(table: "cities") @allow(role: "anonymous", read: {stateId: {eq: 1}}) {
              id: Int! @id
              name: String!
              stateId: Int!
              state: State! @belongsTo(key: "stateId")
            }
            type Country @model(table: "countries") @allow(role: "anonymous", read: {}) {
              code: String! @id
              name: String!
            }
            type Note @model(table: "notes") {
              id: Int! @id
              body: String! @column(length: 2000)
            }
            """;
    static final String SECRET = "live-test-secret";
    static final ObjectMapper JSON = new ObjectMapper();

    static Fixture f;
    static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        FrontendClientTest.installPackages();
        f = Fixture.on(TestDb.SQLITE, SDL);
        f.sql("INSERT INTO states (id, name) VALUES (1, 'California'), (2, 'Nevada')",
                "INSERT INTO cities (id, name, state_id) VALUES (1, 'San Jose', 1), (2, 'Fremont', 1), (3, 'Reno', 2), (4, 'Zephyr Cove', 2)",
                "INSERT INTO countries (code, name) VALUES ('FR', 'France')",
                "INSERT INTO notes (id, body) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                        + " SELECT i, printf('%.1000c', 'x') FROM n");
        Config.Server quiet = new Config.Server();
        quiet.logRequests = false;
        Config.Auth auth = new Config.Auth();
        auth.adminSecret = SECRET;
        Config.Subscriptions live = new Config.Subscriptions();
        live.pollMillis = 1000;
        server = HttpServer.create(new Gateway(f.models, f.db), quiet, live, null, new Authenticator(auth)).start("127.0.0.1", 0);
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

    @Test
    void theReferenceClientSubscribesAndGetsEachChangeAndTheProtocolsErrors() throws Exception {
        node("live.mjs");
    }

    @Test
    void serverSentEventsCarryTheSameLiveQueries() throws Exception {
        node("sse.mjs");
    }

    static void node(String script) throws Exception {
        Process p = new ProcessBuilder("node", script, "http://127.0.0.1:" + server.port(), SECRET)
                .directory(FrontendClientTest.NODE.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = p.waitFor(2, TimeUnit.MINUTES);
        System.out.println("node " + script + ":\n" + out);
        assertEquals(List.of(true, 0), List.of(finished, finished ? p.exitValue() : -1), out);
    }

    /** A JDK WebSocket client speaking graphql-transport-ws: every message it receives, in order. */
    static final class Socket implements WebSocket.Listener {
        final List<JsonNode> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        final StringBuilder partial = new StringBuilder();
        final CountDownLatch acked = new CountDownLatch(1);
        final AtomicInteger nexts = new AtomicInteger();
        WebSocket ws;

        static Socket open(int port) throws Exception {
            Socket s = new Socket();
            s.ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("graphql-transport-ws")
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/graphql"), s).get(10, TimeUnit.SECONDS);
            s.send(Map.of("type", "connection_init", "payload", Map.of("X-Modelgate-Admin-Secret", SECRET)));
            assertTrue(s.acked.await(10, TimeUnit.SECONDS), "connection_ack");
            return s;
        }

        void send(Object message) throws Exception {
            ws.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(partial.toString());
                    messages.add(m);
                    if (m.path("type").asText().equals("connection_ack")) {
                        acked.countDown();
                    } else if (m.path("type").asText().equals("next")) {
                        nexts.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            w.request(1);
            return null;
        }
    }

    @Test
    void aThousandSubscribersOfOneDocumentCostTheStatementsOfOne() throws Exception {
        String query = "subscription { states { name cities { name } } }";
        List<Socket> sockets = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            Socket s = Socket.open(server.port());
            for (int i = 0; i < 100; i++) {
                s.send(Map.of("type", "subscribe", "id", "s" + i, "payload", Map.of("query", query)));
            }
            sockets.add(s);
        }
        waitFor(() -> sockets.stream().mapToInt(s -> s.nexts.get()).sum() == 1000,
                () -> "every subscriber's first result, " + sockets.stream().mapToInt(s -> s.nexts.get()).sum() + " of 1000");
        // a write through the gateway commits: the group re-runs at once, two statements (states, their cities)
        // for all thousand subscribers, and each gets the new result
        List<String> statements = f.statements(() -> {
            try {
                var r = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                        .header("Content-Type", "application/json").header("X-Modelgate-Admin-Secret", SECRET)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\": \"mutation { updateState(id: 2, set: {name: \\\"Nevada!\\\"}) { id } }\"}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                waitFor(() -> sockets.stream().mapToInt(s -> s.nexts.get()).sum() == 2000, "every subscriber's update");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> reads = statements.stream().filter(s -> s.startsWith("SELECT") && s.contains("\"states\" t0") || s.contains("\"cities\" t0")).toList();
        System.out.println("1,000 subscribers, one write: " + statements.size() + " statements\n  " + String.join("\n  ", statements));
        assertTrue(reads.size() <= 6, "a re-run is two statements for all the subscribers (a periodic poll may add one more run),"
                + " never one per subscriber: " + statements);
        for (Socket s : sockets) {
            JsonNode last = s.messages.get(s.messages.size() - 1);
            assertEquals("Nevada!", last.at("/payload/data/states/1/name").asText(), last.toString());
            s.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHundredVariableSetsOfOneDocumentCostTheStatementsOfOneSubscriber() throws Exception {
        String query = "subscription($state: Int!, $n: Int!) { states(where: {id: {gte: $state}}, orderBy: [{id: ASC}]) { id name"
                + " cities(orderBy: [{name: ASC}], limit: $n) { name } } }";
        Socket s = Socket.open(server.port());
        List<Map<String, Object>> sets = new ArrayList<>();
        for (int i = 0; i < 100; i++) {   // 100 distinct sets; those of state 3 read no state
            Map<String, Object> vars = Map.of("state", i % 3 + 1, "n", i / 3 + 1);
            sets.add(vars);
            s.send(Map.of("type", "subscribe", "id", "v" + i, "payload", Map.of("query", query, "variables", vars)));
        }
        waitFor(() -> s.nexts.get() == 100, () -> "every variable set's first result, " + s.nexts.get() + " of 100");
        long changed = sets.stream().filter(v -> (int) v.get("state") <= 2).count();   // Reno, first of Nevada's cities, is in their result
        List<String> statements = f.statements(() -> {
            try {
                var r = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                        .header("Content-Type", "application/json").header("X-Modelgate-Admin-Secret", SECRET)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\": \"mutation { updateCity(id: 3, set: {name: \\\"Reno!\\\"}) { id } }\"}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                // the sets that read Reno (from states 1 and 2, any limit) change; those from state 3 read nothing and get nothing new
                waitFor(() -> s.nexts.get() == 100 + changed, () -> "the changed sets' updates, " + (s.nexts.get() - 100) + " of " + changed);
                Thread.sleep(1500);   // a poll or two more: nothing else comes
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the re-runs' statements: states, and cities by state (the mutation's own reads of cities by id are not)
        List<String> reads = statements.stream().filter(q -> q.contains("\"states\" t0") || q.contains("\"state_id\" AS \"__k\"")).toList();
        System.out.println("100 variable sets, one write: " + statements.size() + " statements\n  " + String.join("\n  ", statements));
        assertEquals(100 + changed, s.nexts.get(), "an update only where the result changed");
        // each re-run of the cohort is two statements (states, their cities) for all 100 sets; a write's re-run and up to
        // two periodic polls ran meanwhile — one statement per subscriber would be 200 per run
        assertTrue(reads.size() <= 6, "two statements per re-run for all the variable sets: " + reads);
        for (int i = 0; i < 100; i++) {
            String id = "v" + i;
            JsonNode last = null;
            for (JsonNode m : s.messages) {
                if (id.equals(m.path("id").asText()) && m.path("type").asText().equals("next")) {
                    last = m;
                }
            }
            int state = (int) sets.get(i).get("state");
            int n = (int) sets.get(i).get("n");
            JsonNode states = last.at("/payload/data/states");
            assertEquals(Math.max(0, 3 - state), states.size(), last.toString());
            for (JsonNode st : states) {
                assertEquals(Math.min(n, 2), st.get("cities").size(), "each set's own limit: " + last);
            }
            if (state <= 2) {
                JsonNode nevada = states.get(states.size() - 1);
                assertEquals("Reno!", nevada.at("/cities/0/name").asText(), last.toString());
            }
        }
        s.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    /** Gateways keep nothing another needs: a subscription on one sees a write made through another gateway within one poll. */
    @Test
    void aSubscriptionSeesAWriteThroughAnotherGatewayWithinOnePoll() throws Exception {
        Socket s = Socket.open(server.port());
        s.send(Map.of("type", "subscribe", "id", "other", "payload", Map.of("query", "subscription { countries { code name } }")));
        waitFor(() -> s.nexts.get() == 1, "the first result");
        Gateway other = new Gateway(f.models, f.db);   // a second gateway process on the same database: no commit hook into this one
        Map<String, Object> r = other.execute(new Gateway.Request("mutation { createCountry(data: {code: \"PT\", name: \"Portugal\"}) { code } }",
                Map.of(), null));
        assertEquals(null, r.get("errors"), String.valueOf(r.get("errors")));
        long wrote = System.nanoTime();
        waitFor(() -> s.nexts.get() == 2, "the write through the other gateway, at the next poll");
        long ms = (System.nanoTime() - wrote) / 1_000_000;
        System.out.println("a write through another gateway reached the subscriber in " + ms + " ms (poll every 1000 ms)");
        assertTrue(ms < 2000, "within one poll interval (and the run it takes): " + ms + " ms");
        JsonNode last = s.messages.get(s.messages.size() - 1);
        assertTrue(last.toString().contains("Portugal"), last.toString());
        s.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        other.execute(new Gateway.Request("mutation { deleteCountry(code: \"PT\") { code } }", Map.of(), null));   // the other cases read countries
    }

    @Test
    void oneMoreSubscriptionThanAConnectionMayHoldIsAnErrorMessage() throws Exception {
        Config.Subscriptions defaults = new Config.Subscriptions();
        Socket s = Socket.open(server.port());
        for (int i = 0; i <= defaults.maxPerConnection; i++) {
            s.send(Map.of("type", "subscribe", "id", "x" + i, "payload", Map.of("query", "subscription { countries { code } }")));
        }
        waitFor(() -> s.messages.stream().anyMatch(m -> m.path("type").asText().equals("error")), "the error message");
        JsonNode error = s.messages.stream().filter(m -> m.path("type").asText().equals("error")).findFirst().orElseThrow();
        assertEquals("x" + defaults.maxPerConnection, error.path("id").asText());
        assertEquals("QUERY_TOO_COMPLEX", error.at("/payload/0/extensions/code").asText());
        s.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    /** A client that stops reading: it takes the first message and never asks for another. */
    static final class Stalled implements WebSocket.Listener {
        final AtomicInteger received = new AtomicInteger();

        @Override
        public void onOpen(WebSocket w) {
            w.request(2);   // connection_ack and the first result, then nothing more is read
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            received.incrementAndGet();
            return null;
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedNotBufferedFor() throws Exception {
        // the other tests' sockets close asynchronously: count from none open
        waitFor(() -> server.liveConnections() == 0, () -> "the other tests' connections to close (" + server.liveConnections() + " open)");
        int before = 0;
        Stalled stalled = new Stalled();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("graphql-transport-ws")
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/graphql"), stalled).get(10, TimeUnit.SECONDS);
        ws.sendText(JSON.writeValueAsString(Map.of("type", "connection_init", "payload", Map.of("X-Modelgate-Admin-Secret", SECRET))), true).get();
        ws.sendText(JSON.writeValueAsString(Map.of("type", "subscribe", "id", "big", "payload",
                Map.of("query", "subscription { notes { id body } }"))), true).get();
        waitFor(() -> server.liveConnections() == before + 1, "the connection");
        long heapBefore = heapAfterGc();
        long heapMax = heapBefore;
        // every write changes the 2 MB result; what the client does not read piles up on the server until it is dropped
        for (int i = 0; i < 40 && server.liveConnections() > before; i++) {
            var r = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                    .header("Content-Type", "application/json").header("X-Modelgate-Admin-Secret", SECRET)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\": \"mutation { updateNote(id: 1, set: {body: \\\"v" + i + "\\\"}) { id } }\"}"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            Thread.sleep(100);
            heapMax = Math.max(heapMax, heapAfterGc());
        }
        waitFor(() -> server.liveConnections() == before, () -> "the stalled connection to be dropped (" + server.liveConnections() + " open)");
        assertTrue(stalled.received.get() <= 2, "it read no more than it asked for");
        // what waited for the client was bounded (16 MB of 2 MB results) and went with it; 40 unread results would be 80 MB
        long grew = (heapMax - heapBefore) / (1024 * 1024);
        System.out.println("heap while the client stalled: at most " + grew + " MB above where it started");
        assertTrue(grew < 40, "the gateway's memory stays flat while a client does not read: grew " + grew + " MB");
        assertTrue((heapAfterGc() - heapBefore) / (1024 * 1024) < 8, "and nothing of it is kept after the client is dropped");
        ws.abort();
    }

    /** The heap in use after a full collection, in bytes (the test and the gateway share the JVM). */
    private static long heapAfterGc() {
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        waitFor(condition, () -> what);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            Thread.sleep(20);
        }
    }
}
