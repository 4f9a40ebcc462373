package dev.modelgate.exec;

import dev.modelgate.db.Database;
import dev.modelgate.db.DbUrl;
import dev.modelgate.db.Replicas;
import dev.modelgate.db.SchemaSetup;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.PostgresServers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read replicas on PostgreSQL: a primary and a streaming replica (pg_basebackup -R) of the
 * test's own. Query reads land on the replica and mutations on the primary; with replay paused
 * ({@code pg_wal_replay_pause()}), a query that sends back its mutation's consistency token (a
 * WAL position) is read from the primary and sees its write, one without it reads the replica;
 * once replay resumes, the replica serves the token's reads.
 */
class PostgresReplicaTest {
    static final String SDL = "type Note @model(table: \"notes\") { id: Int! @id  body: String! }";

    @Test
    void readsGoToTheStreamingReplicaAndATokenReadsItsOwnWrite() throws Exception {
        try (PostgresServers pg = new PostgresServers()) {
            pg.sql(pg.primaryPort, "CREATE DATABASE app");
            Models models = ModelParser.parse(List.of(new ModelParser.Source("test.graphqls", SDL)));
            try (Database db = Database.open(DbUrl.parse(pg.url(pg.primaryPort, "app"), "postgres", null))) {
                SchemaSetup.createMissingTables(db, models);
                db.executeAll(List.of("INSERT INTO notes (id, body) VALUES (1, 'one')"));
                pg.caughtUp();
                Replicas replicas = new Replicas(List.of(DbUrl.parse(pg.url(pg.replicaPort, "app"), "postgres", null)), 4, 5);
                db.readFrom(replicas);
                Gateway gateway = new Gateway(models, db);
                Database replica = replicas.all().get(0).database();
                assertEquals("postgresql", replica.vendor().name());

                List<String> onPrimary = new java.util.concurrent.CopyOnWriteArrayList<>();
                List<String> onReplica = new java.util.concurrent.CopyOnWriteArrayList<>();
                db.observer().listen(onPrimary::add);
                replica.observer().listen(onReplica::add);

                assertEquals("one", Fixture.dataOf(gateway.execute(new Gateway.Request("{ note(id: 1) { body } }", Map.of(), null)))
                        .at("/note/body").asText());
                assertEquals(List.of(), onPrimary, "a query reads the replica");
                assertEquals(1, onReplica.size());

                pg.sql(pg.replicaPort, "SELECT pg_wal_replay_pause()");
                Map<String, Object> created = gateway.execute(new Gateway.Request("mutation { createNote(data: {id: 2, body: \"mine\"}) { id } }", Map.of(), null));
                assertNull(created.get("errors"), String.valueOf(created.get("errors")));
                @SuppressWarnings("unchecked")
                String token = (String) ((Map<String, Object>) created.get("extensions")).get("consistency");
                assertNotNull(token, "the WAL position after the commit");
                assertTrue(token.matches("[0-9A-F]+/[0-9A-F]+"), token);

                onPrimary.clear();
                onReplica.clear();
                String q = "{ note(id: 2) { body } }";
                assertEquals("mine", Fixture.dataOf(gateway.execute(new Gateway.Request(q, Map.of(), null, null, false, token))).at("/note/body").asText());
                assertEquals(1, onPrimary.size(), "replay paused: the token's read is the primary's");
                assertTrue(Fixture.dataOf(gateway.execute(new Gateway.Request(q, Map.of(), null))).get("note").isNull(),
                        "without the token, the paused replica answers, without the row");
                assertEquals(1, onReplica.size());

                pg.sql(pg.replicaPort, "SELECT pg_wal_replay_resume()");
                pg.caughtUp();
                onPrimary.clear();
                assertEquals("mine", Fixture.dataOf(gateway.execute(new Gateway.Request(q, Map.of(), null, null, false, token))).at("/note/body").asText());
                assertEquals(List.of(), onPrimary, "replayed past the token, the replica serves it");
            }
        }
    }
}
