package dev.modelgate.bench;

import dev.modelgate.exec.Gateway;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * The gateway's CPU time per request: {@code Gateway.run} (no HTTP) on one thread, after a
 * warm-up, in samples of many requests; the median, min and max of the samples. Thread CPU time
 * moves less than requests/s on a shared machine, so it tells whether a change costs the gateway
 * more per request (a database server's own CPU is not counted; SQLite's, in process, is).
 * {@code mvn -B -Pbench -Dbench.main=dev.modelgate.bench.CpuPerRequest -Dbench.dbs=MARIADB -Dbench.ops=Q1,Q4}
 */
public class CpuPerRequest {
    public static void main(String[] args) throws Exception {
        List<String> ops = Arrays.asList(System.getProperty("bench.ops", "Q1,Q2,Q3,Q4").split(","));
        long warmMs = Integer.getInteger("bench.warmup", 15) * 1000L;
        int samples = Integer.getInteger("bench.samples", 15);
        for (String name : System.getProperty("bench.dbs", "SQLITE").split(",")) {
            run(TestDb.valueOf(name.trim()), ops.get(0).isEmpty() ? List.of("Q1", "Q2", "Q3", "Q4") : ops, warmMs, samples);
        }
    }

    static void run(TestDb db, List<String> ops, long warmMs, int samples) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (Fixture f = Fixture.on(db, Benchmark.SDL)) {
            Benchmark.load(f);
            Gateway g = new Gateway(f.models, f.db);
            for (Benchmark.Op op : Benchmark.OPS) {
                if (!ops.contains(op.name())) {
                    continue;
                }
                int n = 0;
                long end = System.currentTimeMillis() + warmMs;
                while (System.currentTimeMillis() < end) {
                    g.run(new Gateway.Request(op.query(), op.variables().apply(n++), null));
                }
                long[] perRequest = new long[samples];
                int batch = op.name().equals("Q5") ? 2 : 500;
                for (int s = 0; s < samples; s++) {
                    long cpu = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < batch; i++) {
                        g.run(new Gateway.Request(op.query(), op.variables().apply(n++), null));
                    }
                    perRequest[s] = (mx.getCurrentThreadCpuTime() - cpu) / batch;
                }
                Arrays.sort(perRequest);
                System.out.printf("%s %s CPU µs/request: median %.1f, min %.1f, max %.1f%n", db, op.name(),
                        perRequest[samples / 2] / 1000.0, perRequest[0] / 1000.0, perRequest[samples - 1] / 1000.0);
            }
        }
    }
}
