package dev.modelgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.config.Config;
import dev.modelgate.exec.Gateway;
import dev.modelgate.exec.Telemetry;
import dev.modelgate.server.HttpServer;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The benchmark of issue 8: 1,000 states × 50 cities on each reachable database (SQLite,
 * MariaDB, PostgreSQL); Q1–Q5 over HTTP, closed loop, at concurrency 1 and 8, against the
 * raw-JDBC floor ({@link Floor}: one hand-written statement per operation, Jackson, the same
 * Javalin) and the gateway with batching switched off. Writes docs/benchmarks/results.md and
 * results.png. Run: {@code mvn -B -Pbench} (settings: -Dbench.seconds, -Dbench.warmup, -Dbench.rounds,
 * -Dbench.dbs=SQLITE,MARIADB,POSTGRESQL, -Dbench.ops=Q1,…,Q5). The gateway, the floor and (at
 * concurrency 1) graphql-java's field-by-field execution take turns in rounds.
 */
public final class Benchmark {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SDL = """
            type State @model(table: "states") {
              id: Int! @id
              name: String! @column(length: 64)
              cities: [City!]! @hasMany(key: "stateId")
            }
            type City @model(table: "cities") {
              id: Int! @id
              name: String! @column(length: 64)
              stateId: Int!
              state: State! @belongsTo(key: "stateId")
            }
            """;
    static final int STATES = 1000;
    static final int CITIES_PER_STATE = 50;

    /** One operation: its GraphQL text, its variables for the n-th request, the floor's path, its relationship levels. */
    record Op(String name, String description, String query, IntFunction<Map<String, Object>> variables, int levels) {
    }

    static final List<Integer> Q1_IDS = java.util.stream.IntStream.rangeClosed(1, 100).map(i -> i * 10).boxed().toList();

    static final List<Op> OPS = List.of(
            new Op("Q1", "100 states by id: id, name",
                    "query Q1($ids: [Int!]) { states(where: {id: {in: $ids}}) { id name } }", n -> Map.of("ids", Q1_IDS), 1),
            new Op("Q2", "20 states, each with all its cities",
                    "query Q2 { states(limit: 20) { id name cities { id name } } }", n -> Map.of(), 2),
            new Op("Q3", "200 cities, each with its state's name",
                    "query Q3 { cities(limit: 200) { id name state { name } } }", n -> Map.of(), 2),
            new Op("Q4", "one state by primary key",
                    "query Q4($id: Int!) { state(id: $id) { id name } }", n -> Map.of("id", n % STATES + 1), 1),
            new Op("Q5", "four levels over all states: states, cities, their state, its city count",
                    "query Q5 { states { id name cities { id name state { id name citiesAggregate { count } } } } }", n -> Map.of(), 4),
            new Op("Q6", "cities grouped by state: count and max name, 20 largest groups (GROUP BY … HAVING)",
                    "query Q6 { citiesGroupBy(by: [stateId], having: {count: {gte: 1}}, orderBy: [{count: DESC}], limit: 20) { key { stateId } count max { name } } }",
                    n -> Map.of(), 1),
            new Op("Q7", "a connection page of 20 cities after the 40,000th (keyset)",
                    "query Q7($after: String) { citiesConnection(first: 20, after: $after) { edges { node { id name } } pageInfo { hasNextPage } } }",
                    n -> afterCursor(), 1),
            new Op("Q8", "a nested update: a state's name, and all 50 of its cities through the relation",
                    "mutation Q8($id: Int!, $name: String!) { updateState(id: $id, set: {name: $name, cities: {update: [{where: {}, set: {stateId: $id}}]}}) { id name } }",
                    n -> Map.of("id", n % STATES + 1, "name", "State " + (n % STATES + 1)), 2));

    /** The cursor of the 40,000th city, as the gateway gives it (set before the operations run; Q7 pages after it). */
    static volatile String cursor;

    static Map<String, Object> afterCursor() {
        Map<String, Object> v = new java.util.HashMap<>();
        v.put("after", cursor);
        return v;
    }

    /** What closed-loop runs measured: every latency (ns, sorted), the time they took, the statements run, the peak heap. */
    record Cell(long[] latencies, double seconds, long statements, long heapMb) {
        double rps() {
            return latencies.length / seconds;
        }

        double p50() {
            return percentile(latencies, 0.50);
        }

        double p99() {
            return percentile(latencies, 0.99);
        }

        double statementsPerRequest() {
            return statements / (double) Math.max(1, latencies.length);
        }

        /** Two runs of the same target as one. */
        Cell plus(Cell o) {
            long[] all = java.util.stream.LongStream.concat(Arrays.stream(latencies), Arrays.stream(o.latencies)).sorted().toArray();
            return new Cell(all, seconds + o.seconds, statements + o.statements, Math.max(heapMb, o.heapMb));
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 5);
        int warmup = Integer.getInteger("bench.warmup", 3);
        List<TestDb> dbs = Arrays.stream(System.getProperty("bench.dbs", "SQLITE,MARIADB,POSTGRESQL").split(","))
                .map(String::trim).map(TestDb::valueOf).toList();
        Path out = Path.of(System.getProperty("bench.out", "docs/benchmarks"));
        Files.createDirectories(out);
        Map<TestDb, Map<String, Map<String, Cell>>> results = new LinkedHashMap<>();
        Map<TestDb, String> versions = new LinkedHashMap<>();
        StringBuilder explain = new StringBuilder("# EXPLAIN of the benchmark's statements\n\nWritten by `mvn -B -Pbench` "
                + "(dev.modelgate.bench.Benchmark): every statement the planner renders for each operation, on the loaded data, "
                + "with the database's plan; a relationship level rendered for parent keys 1..20. A full scan or a sort in an "
                + "ordered or keyed read fails the benchmark.\n");
        List<String> problems = new ArrayList<>();
        for (TestDb db : dbs) {
            Fixture f;
            try {
                f = Fixture.on(db, SDL);
            } catch (RuntimeException e) {
                System.err.println("skipping " + db + ": not reachable (" + e.getMessage() + ")");
                continue;
            }
            try (f) {
                load(f);
                versions.put(db, version(f));
                explain(db, f, explain, problems);
                results.put(db, run(db, f, seconds, warmup));
            }
        }
        Files.writeString(out.resolve("explain.md"), explain.toString());
        if (!problems.isEmpty()) {
            System.err.println("EXPLAIN shows scans without an index:\n  " + String.join("\n  ", problems));
            System.exit(1);
        }
        Report.write(out, results, versions, seconds, warmup);
        System.out.println("wrote " + out.resolve("results.md") + " and " + out.resolve("results.png"));
        System.exit(0);
    }

    /** The peer benchmark's four queries (../shared/bench/queries/modelgate), explained beside the operations above. */
    static final Map<String, String> PEER_QUERIES = Map.of(
            "peer Q1", "{ states(orderBy: {id: ASC}, limit: 100) { id name } }",
            "peer Q2", "{ states(orderBy: {id: ASC}, limit: 20) { id name cities(orderBy: {id: ASC}) { id name } } }",
            "peer Q3", "{ cities(orderBy: {id: ASC}, limit: 200) { id name state { name } } }",
            "peer Q4", "{ state(id: 42) { name } }");

    /** Appends each operation's statements and plans to {@code out}; a full scan or sort goes to {@code problems}. */
    static void explain(TestDb db, Fixture f, StringBuilder out, List<String> problems) throws Exception {
        switch (db) {
            case MARIADB -> f.sql("ANALYZE TABLE states", "ANALYZE TABLE cities");
            case POSTGRESQL -> f.sql("ANALYZE states", "ANALYZE cities");
            case SQLITE -> f.sql("ANALYZE");
            default -> {
            }
        }
        out.append("\n## ").append(version(f)).append("\n");
        List<Object> parents = java.util.stream.IntStream.rangeClosed(1, 20).boxed().map(i -> (Object) i).toList();
        Map<String, String> queries = new LinkedHashMap<>();
        OPS.stream().filter(op -> !op.name().equals("Q5")).forEach(op -> queries.put(op.name(), op.query()));   // Q5 reads every row by design
        new java.util.TreeMap<>(PEER_QUERIES).forEach(queries::put);
        for (Map.Entry<String, String> q : queries.entrySet()) {
            Op op = OPS.stream().filter(o -> o.name().equals(q.getKey())).findFirst().orElse(null);
            Map<String, Object> vars = op == null ? Map.of() : op.variables().apply(0);
            out.append("\n**").append(q.getKey()).append("** `").append(q.getValue()).append("`\n\n");
            for (dev.modelgate.support.Explain.Statement st : dev.modelgate.support.Explain.operation(db, f, q.getValue(), vars, parents)) {
                String problem = dev.modelgate.support.Explain.problem(db, st);
                String forced = null;
                if ("full scan".equals(problem) && db == TestDb.POSTGRESQL) {
                    // a table of a few pages is cheaper to scan than to probe: what matters is that an index can serve
                    forced = dev.modelgate.support.Explain.planWithoutSeqScan(f, st.sql());
                    problem = dev.modelgate.support.Explain.problem(db,
                            new dev.modelgate.support.Explain.Statement(st.field(), st.root(), st.sql(), forced));
                }
                out.append("- ").append(st.field()).append(": `").append(st.sql().sql()).append("`\n  ")
                        .append(problem != null ? "**" + problem + "** " : forced != null ? "(sequential scan: the planner's choice) " : "")
                        .append(st.plan()).append("\n");
                if (forced != null) {
                    out.append("  with `enable_seqscan = off`: ").append(forced).append("\n");
                }
                if (problem != null) {
                    problems.add(db + " " + q.getKey() + " " + st.field() + ": " + problem + " in " + st.plan());
                }
            }
        }
    }

    static String version(Fixture f) throws Exception {
        try (Connection c = f.db.dataSource().getConnection()) {
            var md = c.getMetaData();
            return md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
        }
    }

    /** 1,000 states and 50,000 cities, in multi-row INSERTs of bound values. */
    static void load(Fixture f) throws Exception {
        try (Connection c = f.db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insert(c, "INSERT INTO states (id, name) VALUES ", 2, STATES, i -> new Object[]{i, "State " + i});
            insert(c, "INSERT INTO cities (id, name, state_id) VALUES ", 3, STATES * CITIES_PER_STATE,
                    i -> new Object[]{i, "City " + i, (i - 1) / CITIES_PER_STATE + 1});
            c.commit();
        }
        System.out.println(f.kind + ": loaded " + STATES + " states and " + STATES * CITIES_PER_STATE + " cities");
    }

    private static void insert(Connection c, String prefix, int columns, int rows, IntFunction<Object[]> row) throws Exception {
        int per = 500;
        for (int start = 1; start <= rows; start += per) {
            int n = Math.min(per, rows - start + 1);
            String one = "(" + String.join(", ", java.util.Collections.nCopies(columns, "?")) + ")";
            try (PreparedStatement ps = c.prepareStatement(prefix + String.join(", ", java.util.Collections.nCopies(n, one)))) {
                int p = 1;
                for (int i = start; i < start + n; i++) {
                    for (Object v : row.apply(i)) {
                        ps.setObject(p++, v);
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    /** Every operation on one database: gateway, floor and (concurrency 1) no batching. */
    /** The operations to run: all, or those named in -Dbench.ops (e.g. Q1,Q5). */
    static List<Op> selectedOps() {
        String only = System.getProperty("bench.ops", "");
        List<String> names = Arrays.stream(only.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        return OPS.stream().filter(op -> names.isEmpty() || names.contains(op.name())).toList();
    }

    static Map<String, Map<String, Cell>> run(TestDb db, Fixture f, int seconds, int warmup) throws Exception {
        Config.Server quiet = new Config.Server();
        quiet.logRequests = false;
        HttpServer gateway = HttpServer.create(new Gateway(f.models, f.db), quiet, null).start("127.0.0.1", 0);
        HttpServer naive = HttpServer.create(new Gateway(f.models, f.db, Telemetry.none(), Config.Limits.defaults(), Gateway.Execution.UNBATCHED),
                quiet, null).start("127.0.0.1", 0);
        Floor floor = Floor.start(f.db.dataSource());
        int rounds = Integer.getInteger("bench.rounds", 3);
        Map<String, Map<String, Cell>> out = new LinkedHashMap<>();
        try {
            cursor = JSON.readTree(send(HttpClient.newHttpClient(), "http://127.0.0.1:" + gateway.port() + "/graphql",
                    JSON.writeValueAsBytes(Map.of("query", "{ citiesConnection(where: {id: {lte: 40000}}, last: 1) { pageInfo { endCursor } } }"))))
                    .path("data").path("citiesConnection").path("pageInfo").path("endCursor").asText();
            // warm the JIT on every path first, so that the first operation measured is not also the coldest
            for (Op op : selectedOps()) {
                for (String url : List.of("http://127.0.0.1:" + gateway.port() + "/graphql",
                        "http://127.0.0.1:" + floor.port() + "/" + op.name().toLowerCase())) {
                    loop(op, url, 2, warmup * 1000L, new ArrayList<>());
                }
            }
            for (Op op : selectedOps()) {
                Map<String, String> urls = new LinkedHashMap<>();
                urls.put("gateway", "http://127.0.0.1:" + gateway.port() + "/graphql");
                urls.put("floor", "http://127.0.0.1:" + floor.port() + "/" + op.name().toLowerCase());
                sameJson(op, urls.get("gateway"), urls.get("floor"));
                Map<String, Cell> cells = new LinkedHashMap<>();
                for (int concurrency : new int[]{1, 8}) {
                    List<String> targets = List.of("gateway", "floor");
                    for (String t : targets) {
                        loop(op, urls.get(t), concurrency, warmup * 1000L, new ArrayList<>());
                    }
                    // the targets take turns in short rounds, so that a slow spell of a shared machine falls on all of them
                    for (int r = 0; r < rounds; r++) {
                        for (String t : targets) {
                            LongSupplier statements = t.equals("floor") ? floor::statements : f.db.observer()::count;
                            Cell c = measure(op, urls.get(t), concurrency, seconds * 1000L / rounds, statements);
                            cells.merge(t + " c" + concurrency, c, Cell::plus);
                        }
                    }
                    System.out.printf("%s %s c%d: gateway %.0f rps, floor %.0f rps%n", db, op.name(), concurrency,
                            cells.get("gateway c" + concurrency).rps(), cells.get("floor c" + concurrency).rps());
                }
                if (op.levels() > 1) {
                    String n = "http://127.0.0.1:" + naive.port() + "/graphql";
                    loop(op, n, 1, Math.min(warmup, 1) * 1000L, new ArrayList<>());
                    cells.put("naive c1", measure(op, n, 1, seconds * 1000L, f.db.observer()::count));
                    System.out.printf("%s %s no batching: %.1f rps, %.0f statements/request%n", db, op.name(),
                            cells.get("naive c1").rps(), cells.get("naive c1").statementsPerRequest());
                }
                out.put(op.name(), cells);
            }
        } finally {
            gateway.stop();
            naive.stop();
            floor.stop();
        }
        return out;
    }

    static byte[] body(Op op, int n) throws Exception {
        return JSON.writeValueAsBytes(Map.of("query", op.query(), "variables", op.variables().apply(n)));
    }

    /** The floor must produce the same JSON as the gateway, or the comparison means nothing. */
    static void sameJson(Op op, String gateway, String floor) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int n : new int[]{0, 7}) {
            JsonNode a = JSON.readTree(send(http, gateway, body(op, n)));
            JsonNode b = JSON.readTree(send(http, floor, body(op, n)));
            if (!a.equals(b) || a.has("errors")) {
                throw new IllegalStateException(op.name() + ": the floor and the gateway disagree:\n" + abbreviate(a) + "\n" + abbreviate(b));
            }
        }
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }

    static String send(HttpClient http, String url, byte[] body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + resp.statusCode() + ": " + resp.body());
        }
        return resp.body();
    }

    /** Closed loop for {@code millis}: {@code concurrency} clients, each sending its next request when the last one is answered. */
    static Cell measure(Op op, String url, int concurrency, long millis, LongSupplier statements) throws Exception {
        System.gc();
        long before = statements.getAsLong();
        AtomicLong peakHeap = new AtomicLong();
        var memory = ManagementFactory.getMemoryMXBean();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        List<long[]> latencies = new ArrayList<>();
        long start = System.nanoTime();
        loop(op, url, concurrency, millis, latencies);
        double elapsed = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
        return new Cell(all, elapsed, statements.getAsLong() - before, peakHeap.get() >> 20);
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    static void loop(Op op, String url, int concurrency, long millis, List<long[]> latencies) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < concurrency; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long[] mine = new long[4096];
                int i = 0;
                try {
                    while (System.nanoTime() < deadline) {
                        byte[] body = body(op, id * 100_003 + i);
                        long t0 = System.nanoTime();
                        send(http, url, body);
                        if (i == mine.length) {
                            mine = Arrays.copyOf(mine, mine.length * 2);
                        }
                        mine[i++] = System.nanoTime() - t0;
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine, i));
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("requests failed", failures.get(0));
        }
    }

    static String today() {
        return LocalDate.now().toString();
    }
}
