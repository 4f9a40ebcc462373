package dev.modelgate.exec;

import dev.modelgate.config.Config;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static dev.modelgate.support.Fixture.codeOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deadlocks end in the contract's answers: two operations that update two rows in opposite
 * orders (each holding its first row while it pauses) deadlock; the database rolls one back, the
 * gateway runs that operation again, and both are applied exactly once. With retries off, the
 * loser answers CONFLICT and nothing of it is applied.
 */
class ConflictTest {
    static final String SDL = """
            type Account @model(table: "accounts") {
              id: Int! @id
              balance: Int!
            }
            extend type Mutation {
              pause: [JSON!]! @sql(statement: "Pause.pause")
            }
            """;

    static final String ONE_THEN_TWO = "mutation { a: updateAccount(id: 1, inc: {balance: 1}) { balance } p: pause "
            + "b: updateAccount(id: 2, inc: {balance: 1}) { balance } }";
    static final String TWO_THEN_ONE = "mutation { a: updateAccount(id: 2, inc: {balance: 10}) { balance } p: pause "
            + "b: updateAccount(id: 1, inc: {balance: 10}) { balance } }";

    private static Fixture fixture(TestDb db) {
        Models models = ModelParser.parse(List.of(new ModelParser.Source("conflict.graphqls", SDL)));
        Fixture f = Fixture.on(db, models, Path.of("src/test/resources/pause", db == TestDb.MARIADB ? "mariadb" : "postgresql"));
        f.sql("INSERT INTO accounts (id, balance) VALUES (1, 0), (2, 0)");
        return f;
    }

    /** Both operations at once; their responses in order. */
    private static List<Map<String, Object>> together(Gateway g) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<Map<String, Object>> first = CompletableFuture.supplyAsync(() -> run(g, start, ONE_THEN_TWO));
        CompletableFuture<Map<String, Object>> second = CompletableFuture.supplyAsync(() -> run(g, start, TWO_THEN_ONE));
        return List.of(first.get(), second.get());
    }

    private static Map<String, Object> run(Gateway g, CyclicBarrier start, String query) {
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return g.execute(new Gateway.Request(query, Map.of(), null));
    }

    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"MARIADB", "POSTGRESQL"})
    void aDeadlockedOperationIsRetriedAndBothAreAppliedOnce(TestDb db) throws Exception {
        try (Fixture f = fixture(db)) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Gateway g = new Gateway(f.models, f.db, new Telemetry(meters), Config.Limits.defaults());
            List<Map<String, Object>> results = together(g);
            for (Map<String, Object> r : results) {
                assertNull(r.get("errors"), r.toString());
            }
            assertTrue(meters.find("modelgate.retries").counter().count() >= 1, "a deadlock happened and was retried");
            Fixture.assertJson("{\"accounts\": [{\"id\": 1, \"balance\": 11}, {\"id\": 2, \"balance\": 11}]}",
                    f.data("{ accounts(orderBy: {id: ASC}) { id balance } }"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"MARIADB", "POSTGRESQL"})
    void withoutRetriesTheLoserAnswersConflictAndNothingOfItIsApplied(TestDb db) throws Exception {
        try (Fixture f = fixture(db)) {
            Gateway g = new Gateway(f.models, f.db).retries(0);
            List<Map<String, Object>> results = together(g);
            List<String> codes = results.stream().map(r -> r.get("errors") == null ? "ok" : codeOf(r)).sorted().toList();
            assertEquals(List.of("CONFLICT", "ok"), codes, results.toString());
            Map<String, Object> loser = results.stream().filter(r -> r.get("errors") != null).findFirst().orElseThrow();
            assertTrue(loser.containsKey("data") && loser.get("data") == null, loser.toString());
            assertFalse(loser.toString().toLowerCase().contains("deadlock found"), "no driver message: " + loser);
            int winner = results.get(0).get("errors") == null ? 1 : 10;
            Fixture.assertJson("{\"accounts\": [{\"id\": 1, \"balance\": " + winner + "}, {\"id\": 2, \"balance\": " + winner + "}]}",
                    f.data("{ accounts(orderBy: {id: ASC}) { id balance } }"));
        }
    }
}
