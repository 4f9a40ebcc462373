package dev.modelgate.api;

import dev.modelgate.db.SchemaSetup;

import dev.modelgate.model.ModelParser;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.modelgate.support.Fixture.assertJson;

/**
 * The demo models and seed rows, and the seed exercise: create a state with a city in one call;
 * on every database, so the seed script is portable and creates after it get fresh keys.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class DemoTest {
    @Parameter
    TestDb db;

    /** The demo as served: the models in schema/, the mappers in mappers/. */
    static Fixture demoModels(TestDb db) {
        return Fixture.on(db, ModelParser.parse(Path.of("schema")), Path.of("mappers"));
    }

    Fixture demo() throws Exception {
        Fixture f = demoModels(db);
        SchemaSetup.seed(f.db, Path.of("schema/seed.sql"));
        SchemaSetup.restartIdentities(f.db, f.models);
        return f;
    }

    @Test
    void seedRowsAreTheClassicStatesAndCities() throws Exception {
        try (Fixture f = demo()) {
            assertJson("{\"states\": [{\"name\": \"Arizona\", \"citiesAggregate\": {\"count\": 2}}, {\"name\": \"California\", \"citiesAggregate\": {\"count\": 5}},"
                            + " {\"name\": \"Nevada\", \"citiesAggregate\": {\"count\": 4}}, {\"name\": \"New York\", \"citiesAggregate\": {\"count\": 1}},"
                            + " {\"name\": \"Texas\", \"citiesAggregate\": {\"count\": 3}}],"
                            + " \"city\": {\"name\": \"San Francisco\", \"visitors\": [{\"username\": \"ada\", \"role\": \"ADMIN\", \"profile\": {\"bio\": \"Writes the first programs.\"}},"
                            + " {\"username\": \"grace\", \"role\": \"MEMBER\", \"profile\": {\"bio\": \"Finds the bugs.\"}}]}}",
                    f.data("{ states(orderBy: [{name: ASC}]) { name citiesAggregate { count } } city(id: 1) { name visitors { username role profile { bio } } } }"));
        }
    }

    @Test
    void createTheStateCaliforniaWithTheCitySanFrancisco() throws Exception {
        try (Fixture f = demoModels(db)) {
            assertJson("{\"createState\": {\"id\": 1, \"name\": \"California\", \"cities\": [{\"id\": 1, \"name\": \"San Francisco\", \"state\": {\"name\": \"California\"}}]}}",
                    f.data("mutation { createState(data: {name: \"California\", cities: [{name: \"San Francisco\"}]}) { id name cities { id name state { name } } } }"));
            assertJson("{\"cities\": [{\"stateId\": 1}]}", f.data("{ cities { stateId } }"));
        }
    }

    @Test
    void theDocsMutationExampleRunsOnTheDemo() throws Exception {
        String readme = Files.readString(Path.of("docs/api.md"));
        int start = readme.indexOf("mutation {\n  createState");
        String mutation = readme.substring(start, readme.indexOf("```", start));
        try (Fixture f = demo()) {
            assertJson("{\"createState\": {\"id\": 6, \"cities\": [{\"id\": 16, \"name\": \"Portland\"}, {\"id\": 17, \"name\": \"Salem\"}]},"
                    + " \"updateCity\": {\"name\": \"SF\"}, \"createUser\": {\"id\": 4},"
                    + " \"updateUser\": {\"visited\": [{\"name\": \"Los Angeles\"}, {\"name\": \"Austin\"}, {\"name\": \"Reno\"}]},"
                    + " \"upsertUser\": {\"id\": 4, \"email\": \"kim@example.com\"},"
                    + " \"deleteCities\": {\"affectedRows\": 1, \"returning\": [{\"name\": \"Salem\"}]}}", f.data(mutation));
        }
    }

    /** The grouping, connection and nested-update examples of docs/api.md, as written, on the seeded demo. */
    @Test
    void theDocsGroupingConnectionAndNestedUpdateExamplesRunOnTheDemo() throws Exception {
        String doc = Files.readString(Path.of("docs/api.md"));
        try (Fixture f = demo()) {
            var groups = f.data(block(doc, "{\n  usersGroupBy"));
            var california = groups.get("states").get(0);
            org.junit.jupiter.api.Assertions.assertEquals("California", california.get("name").asText());
            assertJson("[{\"key\": {\"name\": \"Fremont\"}, \"count\": 1}, {\"key\": {\"name\": \"Livermore\"}, \"count\": 1},"
                    + " {\"key\": {\"name\": \"Los Angeles\"}, \"count\": 1}]", california.get("citiesGroupBy"));
            int users = (int) f.number("SELECT COUNT(*) FROM users");
            int grouped = 0;
            for (var g : groups.get("usersGroupBy")) {
                grouped += g.get("count").asInt();
                org.junit.jupiter.api.Assertions.assertTrue(g.get("count").asInt() >= 2, "having count >= 2: " + g);
            }
            org.junit.jupiter.api.Assertions.assertTrue(grouped <= users);
            var page = f.data(block(doc, "{\n  citiesConnection")).get("citiesConnection");
            java.util.List<String> names = new java.util.ArrayList<>();
            page.get("edges").forEach(e -> names.add(e.get("node").get("name").asText()));
            org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("Austin", "Carson City"), names);
            org.junit.jupiter.api.Assertions.assertTrue(page.get("pageInfo").get("hasNextPage").asBoolean());
            org.junit.jupiter.api.Assertions.assertEquals(f.number("SELECT COUNT(*) FROM cities"), page.get("totalCount").asLong());
            assertJson("{\"updateState\": {\"name\": \"California\", \"cities\": [{\"name\": \"San Francisco\"}, {\"name\": \"San José\"},"
                    + " {\"name\": \"Los Angeles\"}, {\"name\": \"Fremont\"}, {\"name\": \"Oakland\"}]}}", f.data(block(doc, "mutation {\n    updateState")));
        }
    }

    /** The README's examples of grouping, pages, global ids and nested updates, each run as pasted, without an error. */
    @Test
    void theReadmesBreadthExamplesRunOnTheDemo() throws Exception {
        String examples = block(Files.readString(Path.of("README.md")), "# cities per state");
        try (Fixture f = demo()) {
            for (String example : examples.split("\n\n")) {
                var data = f.data(example);
                org.junit.jupiter.api.Assertions.assertFalse(data.toString().contains("null"), example + " → " + data);
            }
        }
    }

    /** The fenced GraphQL block of a doc that starts with {@code start}. */
    private static String block(String doc, String start) {
        int i = doc.indexOf(start);
        if (i < 0) {
            throw new AssertionError("docs/api.md has no example starting " + start);
        }
        return doc.substring(i, doc.indexOf("```", i));
    }
}
