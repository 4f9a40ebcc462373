package dev.modelgate.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.auth.Principal;
import dev.modelgate.config.Config;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.Library;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The level executor ({@link LevelExecution}) must answer exactly as graphql-java's own
 * field-by-field execution does: same data, same errors at the same paths, same number of
 * statements. Every query here runs on both (Gateway.Execution LEVELS and FIELDS) over the same
 * database, and the two responses are compared whole; the level executor must also really
 * have run it (or really have left it to graphql-java).
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class LevelExecutionTest {
    @Parameter
    TestDb db;
    Fixture f;
    Gateway levels;
    Gateway fields;

    @BeforeEach
    void open() {
        f = Library.on(db);
        levels = new Gateway(f.models, f.db, Telemetry.none(), Config.Limits.defaults(), Gateway.Execution.LEVELS);
        fields = new Gateway(f.models, f.db, Telemetry.none(), Config.Limits.defaults(), Gateway.Execution.FIELDS);
    }

    @AfterEach
    void close() {
        f.close();
    }

    static final List<String> QUERIES = List.of(
            "{ authors { id name born rating books { id title genre pages price published inPrint } bio { id text } } }",
            "{ a: authors(orderBy: [{name: DESC}], limit: 2) { ...A } b: authors(where: {id: {gt: 1}}) { name } }"
                    + " fragment A on Author { id n: name books(limit: 1, orderBy: [{pages: ASC}]) { title } }",
            "{ __typename books(orderBy: [{id: DESC}]) { __typename id author { __typename name } tags { __typename label } } }",
            "{ booksAggregate(where: {inPrint: {eq: true}}) { count sum { pages price } avg { pages price } min { title published pages }"
                    + " max { price born: published } } authors { name booksAggregate(where: {pages: {gt: 200}}) { count max { pages } } } }",
            "{ book(id: 3) { title author { name bio { text author { name } } } } nothing: book(id: 99) { id author { name } } }",
            "{ tags(orderBy: [{label: ASC}]) { label books(where: {genre: {eq: FICTION}}) { title tags(orderBy: [{label: DESC}]) { label } } } }",
            "{ books(where: {author: {name: {startsWith: \"I\"}}}, orderBy: [{author: {name: ASC}}, {id: DESC}]) { id author { id } } }",
            "{ books(limit: 2) { id } books(limit: 2) { title } }",
            "{ authors { books(limit: 1, offset: 1, orderBy: [{id: DESC}]) { id } first: books(limit: 1) { id } } }",
            "{ authors(where: {books: {tags: {label: {eq: \"rome\"}}}}) { name books { tags { books { author { bio { author { name } } } } } } } }",
            "{ biographies { text author { name books { title } } } }",
            "{ authors(limit: 0) { id books { id } } tags(where: {id: {in: []}}) { id } }");

    static final String VARIABLES_QUERY = "query($ids: [Int!], $skip: Boolean!, $with: Boolean!) { books(where: {id: {in: $ids}}) { id"
            + " title @skip(if: $skip) author @include(if: $with) { name books(where: {id: {notIn: $ids}}) { id } } } }";

    /** Both executions' outcomes for one request; the level executor must have run it. */
    private void same(Gateway.Request request, boolean expectLevels) {
        Gateway.Outcome a = levels.run(request);
        Gateway.Outcome b = fields.run(request);
        assertEquals(expectLevels, a.byLevels(), () -> "run by levels: " + request.query());
        assertFalse(b.byLevels());
        assertEquals(json(b.response()), json(a.response()), request.query());
        assertEquals(b.statements(), a.statements(), () -> "statements: " + request.query());
    }

    /** The response as a client sees it, without the request ids (they differ by design). */
    @SuppressWarnings("unchecked")
    private static JsonNode json(Map<String, Object> response) {
        JsonNode n = Fixture.JSON.valueToTree(response);
        n.path("errors").forEach(e -> ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("extensions")).remove("requestId"));
        return n;
    }

    @Test
    void answersEveryQueryAsGraphqlJavaDoes() {
        for (String q : QUERIES) {
            same(new Gateway.Request(q, Map.of(), null), true);
        }
        same(new Gateway.Request(VARIABLES_QUERY, Map.of("ids", List.of(1, 4, 8), "skip", true, "with", true), null), true);
        same(new Gateway.Request(VARIABLES_QUERY, Map.of("ids", List.of(2, 3), "skip", false, "with", false), null), true);
    }

    @Test
    void theDataIsRightNotJustTheSame() {
        // a hand-worked answer, so that agreement with graphql-java is not agreement on a mistake
        Gateway.Outcome o = levels.run(new Gateway.Request(
                "{ authors(where: {id: {in: [1, 4]}}) { name bio { text } books(orderBy: [{id: ASC}], limit: 2) { id tags { label } } } }", Map.of(), null));
        assertTrue(o.byLevels());
        Fixture.assertJson("{\"authors\": [{\"name\": \"Ursula Le Guin\", \"bio\": {\"text\": \"Born in Berkeley\"},"
                + " \"books\": [{\"id\": 1, \"tags\": [{\"label\": \"classic\"}, {\"label\": \"fantasy\"}]}, {\"id\": 2, \"tags\": [{\"label\": \"sci-fi\"}]}]},"
                + " {\"name\": \"Nobody\", \"bio\": null, \"books\": []}]}", Fixture.dataOf(o.response()));
        assertEquals(4, o.statements(), "authors, bio, books, tags: one statement each");
    }

    @Test
    void leavesToGraphqlJavaWhatItDoesNotRun() {
        // introspection, a mutation, and an argument error (graphql-java reports it at its path, before any SQL)
        same(new Gateway.Request("{ __schema { queryType { name } } books { id } }", Map.of(), null), false);
        same(new Gateway.Request("{ __type(name: \"Book\") { name } }", Map.of(), null), false);
        same(new Gateway.Request("{ authors { books(limit: -1) { id } } }", Map.of(), null), false);
        same(new Gateway.Request("{ books(where: {title: {eq: null}}) { id } }", Map.of(), null), false);
        Gateway.Outcome m = levels.run(new Gateway.Request("mutation { createTag(data: {label: \"new\"}) { id label books { id } } }", Map.of(), null));
        assertFalse(m.byLevels());
        assertTrue(m.success(), () -> m.response().toString());
    }

    @Test
    void aFailedLevelGivesGraphqlJavasErrorsAtGraphqlJavasPaths() {
        f.sql("DROP TABLE biographies");
        Gateway.Request r = new Gateway.Request("{ authors { name bio { text } } books(limit: 1) { id } }", Map.of(), null);
        same(r, true);
        Map<String, Object> response = levels.execute(r);
        assertEquals(4, ((List<?>) response.get("errors")).size(), "one error per author whose bio could not load");
        assertEquals("INTERNAL_SERVER_ERROR", Fixture.codeOf(response));
        assertFalse(response.toString().toLowerCase().contains("biographies"), "no SQL or table names reach the client");
    }

    @Test
    void aRootFailureNullsOnlyItsField() {
        f.sql("DROP TABLE book_tags", "DROP TABLE tags");
        same(new Gateway.Request("{ book(id: 1) { title } tag(id: 1) { label } }", Map.of(), null), true);
        same(new Gateway.Request("{ tags { label } book(id: 1) { title } }", Map.of(), null), true);
    }

    static final String OWNERS = """
            type Owner @model(table: "owners") @allow(role: "user", read: {id: {eq: "$session.userId"}}) {
              id: Int! @id
              name: String!
              pets: [Pet!]! @hasMany(key: "ownerId")
            }
            type Pet @model(table: "pets") @allow(role: "user", read: {}) {
              id: Int! @id
              name: String!
              ownerId: Int!
              owner: Owner! @belongsTo(key: "ownerId")
              vet: Owner @belongsTo(key: "vetId")
              vetId: Int
            }
            """;

    @Test
    void aNullInANonNullPositionBubblesAsInGraphqlJava() {
        try (Fixture o = Fixture.on(db, OWNERS)) {
            o.sql("INSERT INTO owners (id, name) VALUES (1, 'Ann'), (2, 'Bob')",
                    "INSERT INTO pets (id, name, owner_id, vet_id) VALUES (1, 'Rex', 1, 2), (2, 'Tom', 2, 1)");
            Gateway l = new Gateway(o.models, o.db, Telemetry.none(), Config.Limits.defaults(), Gateway.Execution.LEVELS);
            Gateway g = new Gateway(o.models, o.db, Telemetry.none(), Config.Limits.defaults(), Gateway.Execution.FIELDS);
            Principal ann = new Principal("user", Map.of("role", "user", "userId", "1"));
            for (String q : List.of("{ pets { name owner { name } } }", "{ pets { name vet { name } } }",
                    "{ pet(id: 2) { name owner { name } } owners { name } }")) {
                Gateway.Request r = new Gateway.Request(q, Map.of(), null, ann);
                Gateway.Outcome a = l.run(r);
                Gateway.Outcome b = g.run(r);
                assertTrue(a.byLevels(), q);
                assertEquals(json(b.response()), json(a.response()), q);
            }
            // Bob is not Ann's to read: Tom's non-null owner is null, so Tom, and the non-null list, and data are null
            Map<String, Object> r = l.execute(new Gateway.Request("{ pets { name owner { name } } }", Map.of(), null, ann));
            assertTrue(r.containsKey("data") && r.get("data") == null, r::toString);
            assertEquals(List.of("pets", 1, "owner"), ((Map<?, ?>) ((List<?>) r.get("errors")).get(0)).get("path"));
            // a nullable to-one just comes back null, with no error
            Fixture.assertJson("{\"pets\": [{\"name\": \"Rex\", \"vet\": null}, {\"name\": \"Tom\", \"vet\": {\"name\": \"Ann\"}}]}",
                    Fixture.dataOf(l.execute(new Gateway.Request("{ pets { name vet { name } } }", Map.of(), null, ann))));
        }
    }
}
