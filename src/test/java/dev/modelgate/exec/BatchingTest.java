package dev.modelgate.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.support.Fixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Batching is the product: a request costs one statement per relationship level (+1 for the
 * root), whatever the number of rows. 1,000 states, 50,000 cities, 100,000 visits.
 */
class BatchingTest {
    static Fixture f;

    @BeforeAll
    static void load() throws Exception {
        f = Fixture.sqlite(Files.readString(Path.of("schema/world.graphqls")));
        String numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) ";
        f.sql("INSERT INTO states (id, name) " + numbers.formatted(1000) + "SELECT i, 'State ' || i FROM n",
                "INSERT INTO cities (id, name, state_id) " + numbers.formatted(50000) + "SELECT i, 'City ' || i, (i - 1) / 50 + 1 FROM n",
                "INSERT INTO users (id, username) " + numbers.formatted(500) + "SELECT i, 'user' || i FROM n",
                "INSERT INTO profiles (user_id, bio) " + numbers.formatted(500) + "SELECT i, 'bio ' || i FROM n WHERE i % 2 = 0",
                "INSERT INTO user_visits (city_id, user_id) " + numbers.formatted(50000) + "SELECT i, i % 500 + 1 FROM n",
                "INSERT INTO user_visits (city_id, user_id) " + numbers.formatted(50000) + "SELECT i, (i + 7) % 500 + 1 FROM n");
    }

    @AfterAll
    static void close() {
        f.close();
    }

    /** Runs a query, checks its statement count, and prints how long it took. */
    static JsonNode expectStatements(int expected, String query) {
        JsonNode[] data = new JsonNode[1];
        long start = System.nanoTime();
        List<String> sql = f.statements(() -> data[0] = f.data(query));
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("batching: %d statements, %d ms: %s%n", sql.size(), ms, query);
        assertEquals(expected, sql.size(), () -> String.join("\n", sql));
        return data[0];
    }

    @Test
    void twoLevelsOverFiftyThousandChildrenAreTwoStatements() {
        JsonNode states = expectStatements(2, "{ states { name cities { name } } }").get("states");
        assertEquals(1000, states.size());
        int cities = 0;
        for (JsonNode s : states) {
            assertEquals(50, s.get("cities").size());
            cities += s.get("cities").size();
        }
        assertEquals(50000, cities);
        assertEquals("City 51", states.get(1).get("cities").get(0).get("name").asText());
    }

    @Test
    void threeLevelsBackUpToTheParentAreThreeStatements() {
        JsonNode states = expectStatements(3, "{ states { id cities { state { id } } } }").get("states");
        for (JsonNode s : states) {
            for (JsonNode c : s.get("cities")) {
                assertEquals(s.get("id"), c.get("state").get("id"));
            }
        }
    }

    @Test
    void fourLevelsThroughManyToManyAndHasOneAreFourStatements() {
        JsonNode states = expectStatements(4, "{ states { cities { name visitors { username profile { bio } } } } }").get("states");
        JsonNode firstCity = states.get(0).get("cities").get(0);
        assertEquals("[{\"username\":\"user2\",\"profile\":{\"bio\":\"bio 2\"}},{\"username\":\"user9\",\"profile\":null}]",
                firstCity.get("visitors").toString());
    }

    @Test
    void perParentLimitOrderAndNestedAggregateStayOneStatementEach() {
        JsonNode states = expectStatements(3,
                "{ states { cities(orderBy: [{name: DESC}], limit: 2, offset: 1) { name } citiesAggregate { count max { id } } } }").get("states");
        assertEquals("[{\"name\":\"City 8\"},{\"name\":\"City 7\"}]", states.get(0).get("cities").toString());
        assertEquals("{\"count\":50,\"max\":{\"id\":1000}}", states.get(19).get("citiesAggregate").toString());
    }

    @Test
    void sameRelationUnderTwoAliasesWithDifferentArgumentsIsOneStatementPerAlias() {
        expectStatements(3, "{ states { a: cities(limit: 1) { id } b: cities(where: {name: {endsWith: \"0\"}}) { id } } }");
    }
}
