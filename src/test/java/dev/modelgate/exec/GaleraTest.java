package dev.modelgate.exec;

import dev.modelgate.db.Database;
import dev.modelgate.db.DbUrl;
import dev.modelgate.db.SchemaSetup;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.MariadbServers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A three-node MariaDB Galera cluster on loopback (Debian's galera-4), a gateway on each node:
 * concurrent increments of one row through all three end with the exact total. Writes to one row
 * on different nodes fail certification at commit ("WSREP detected deadlock/conflict"); each such
 * operation runs again whole, as a deadlock's does, after a jittered pause, and one that still
 * conflicts after {@code database.retries} is answered CONFLICT with nothing of it applied.
 */
class GaleraTest {
    static final String SDL = "type Counter @model(table: \"counters\") { id: Int! @id(generated: false)  n: Int! }";

    @Test
    void concurrentIncrementsThroughThreeNodesEndWithTheExactTotal() throws Exception {
        try (MariadbServers servers = new MariadbServers()) {
            List<MariadbServers.Server> nodes = servers.galera(3);
            nodes.get(0).sql("CREATE DATABASE app CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            Models models = ModelParser.parse(List.of(new ModelParser.Source("test.graphqls", SDL)));
            List<Database> dbs = new ArrayList<>();
            List<Gateway> gateways = new ArrayList<>();
            try {
                for (MariadbServers.Server node : nodes) {
                    Database db = Database.open(DbUrl.parse(node.url("app"), "root", null));
                    dbs.add(db);
                    if (dbs.size() == 1) {
                        SchemaSetup.createMissingTables(db, models);
                        db.executeAll(List.of("INSERT INTO counters (id, n) VALUES (1, 0)"));
                    }
                    gateways.add(new Gateway(models, db));   // database.retries: the default, 3
                }
                assertEquals("3", String.valueOf(nodes.get(2).value("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                        + " WHERE VARIABLE_NAME = 'WSREP_CLUSTER_SIZE'")));
                int writers = 9;
                int each = 30;
                ExecutorService pool = Executors.newFixedThreadPool(writers);
                List<Future<int[]>> results = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    Gateway g = gateways.get(w % 3);   // three writers on each node
                    results.add(pool.submit(() -> {
                        int ok = 0;
                        int conflicts = 0;
                        for (int i = 0; i < each; i++) {
                            Map<String, Object> r = g.execute(new Gateway.Request(
                                    "mutation { updateCounters(where: {id: {eq: 1}}, inc: {n: 1}) { affectedRows } }", Map.of(), null));
                            if (r.get("errors") == null) {
                                ok++;
                            } else {
                                conflicts++;
                                assertTrue(String.valueOf(r.get("errors")).contains("CONFLICT"), String.valueOf(r.get("errors")));
                            }
                        }
                        return new int[]{ok, conflicts};
                    }));
                }
                int acknowledged = 0;
                int refused = 0;
                for (Future<int[]> f : results) {
                    int[] r = f.get(5, TimeUnit.MINUTES);
                    acknowledged += r[0];
                    refused += r[1];
                }
                pool.shutdown();
                Object total = nodes.get(1).value("SELECT n FROM app.counters WHERE id = 1");
                long certificationConflicts = 0;   // writes the cluster aborted: failed certification, or aborted by a replicated write
                for (MariadbServers.Server node : nodes) {
                    for (String status : List.of("WSREP_LOCAL_CERT_FAILURES", "WSREP_LOCAL_BF_ABORTS")) {
                        certificationConflicts += Long.parseLong(String.valueOf(node.value(
                                "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '" + status + "'")));
                    }
                }
                System.out.println("Galera, 3 nodes, " + writers + " writers: " + acknowledged + " acknowledged, " + refused
                        + " refused as CONFLICT after 3 retries, total " + total + "; the cluster aborted " + certificationConflicts
                        + " writes on conflict, each run again");
                assertTrue(certificationConflicts > 0, "the writers did conflict across nodes (else this test shows nothing of retries)");
                assertEquals(acknowledged, ((Number) total).intValue(), "every acknowledged increment counted once, none lost or doubled");
                assertEquals(writers * each, acknowledged + refused);
                // 9 writers on one row is the worst case: after database.retries (3) runs again an operation that still
                // fails certification is reported as CONFLICT (each refusal was checked above), never half-applied
                for (MariadbServers.Server node : nodes) {   // every node holds the same total
                    assertEquals(String.valueOf(total), String.valueOf(node.value("SELECT n FROM app.counters WHERE id = 1")));
                }
                // reads that must see a write made through another node: wsrep_sync_wait, set in the node's URL
                try (Database synced = Database.open(DbUrl.parse(nodes.get(2).url("app") + "?sessionVariables=wsrep_sync_wait=1", "root", null))) {
                    Gateway reader = new Gateway(models, synced);
                    for (int i = 1; i <= 20; i++) {
                        Map<String, Object> w = gateways.get(0).execute(new Gateway.Request(
                                "mutation { updateCounters(where: {id: {eq: 1}}, set: {n: " + i + "}) { affectedRows } }", Map.of(), null));
                        assertNull(w.get("errors"), String.valueOf(w.get("errors")));
                        Map<String, Object> read = reader.execute(new Gateway.Request("{ counter(id: 1) { n } }", Map.of(), null));
                        assertEquals(i, Fixture.dataOf(read).at("/counter/n").asInt(), "a read on node 3 right after a write on node 1");
                    }
                }
            } finally {
                dbs.forEach(Database::close);
            }
        }
    }
}
