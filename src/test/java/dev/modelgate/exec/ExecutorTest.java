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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one executor, on every database: planned operations answered with graphql-java's
 * semantics (errors at their paths, nulls bubbling), one statement per level, planning errors
 * as GraphQL errors before any SQL, introspection left to graphql-java and merged in, and a
 * cached shape never leaking one request's variables into another's.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class ExecutorTest {
    @Parameter
    TestDb db;
    Fixture f;
    Gateway gateway;

    @BeforeEach
    void open() {
        f = Library.on(db);
        gateway = new Gateway(f.models, f.db, Telemetry.none(), Config.Limits.defaults());
    }

    @AfterEach
    void close() {
        f.close();
    }

    private Gateway.Outcome run(String query, Map<String, Object> variables) {
        return gateway.run(new Gateway.Request(query, variables, null));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(Gateway.Outcome o) {
        return (List<Map<String, Object>>) o.response().getOrDefault("errors", List.of());
    }

    @Test
    void theDataIsRightWithOneStatementPerLevel() {
        Gateway.Outcome o = run("{ authors(where: {id: {in: [1, 4]}}) { name bio { text } books(orderBy: [{id: ASC}], limit: 2) { id tags { label } } } }", Map.of());
        Fixture.assertJson("{\"authors\": [{\"name\": \"Ursula Le Guin\", \"bio\": {\"text\": \"Born in Berkeley\"},"
                + " \"books\": [{\"id\": 1, \"tags\": [{\"label\": \"classic\"}, {\"label\": \"fantasy\"}]}, {\"id\": 2, \"tags\": [{\"label\": \"sci-fi\"}]}]},"
                + " {\"name\": \"Nobody\", \"bio\": null, \"books\": []}]}", Fixture.dataOf(o.response()));
        assertEquals(4, o.statements(), "authors, bio, books, tags: one statement each");
    }

    @Test
    void aCachedShapeTakesEachRequestsOwnVariables() {
        String q = "query($ids: [Int!], $skip: Boolean!, $with: Boolean!) { books(where: {id: {in: $ids}}, orderBy: [{id: ASC}]) { id"
                + " title @skip(if: $skip) author @include(if: $with) { name } } }";
        JsonNode a = Fixture.dataOf(run(q, Map.of("ids", List.of(1, 4), "skip", true, "with", true)).response()).get("books");
        JsonNode b = Fixture.dataOf(run(q, Map.of("ids", List.of(2), "skip", false, "with", false)).response()).get("books");
        assertEquals(2, a.size());
        assertEquals(1, a.get(0).get("id").asInt());
        assertFalse(a.get(0).has("title"));
        assertTrue(a.get(0).has("author"));
        assertEquals(1, b.size());
        assertEquals(2, b.get(0).get("id").asInt());
        assertTrue(b.get(0).has("title"));
        assertFalse(b.get(0).has("author"));
        long before = gateway.operationsShaped();
        run(q, Map.of("ids", List.of(3), "skip", true, "with", false));
        assertEquals(before + 1, gateway.operationsShaped(), "@skip/@include on variables: shaped per request");
        String plain = "query($n: Int) { books(limit: $n) { id } }";
        assertEquals(1, Fixture.dataOf(run(plain, Map.of("n", 1)).response()).get("books").size());
        assertEquals(3, Fixture.dataOf(run(plain, Map.of("n", 3)).response()).get("books").size());
        assertEquals(2, Fixture.dataOf(run(plain, Map.of("n", 2)).response()).get("books").size());
        assertEquals(before + 2, gateway.operationsShaped(), "one shape for every variable set of a document without conditions");
    }

    @Test
    void introspectionIsGraphqlJavasAndMergedInOrder() {
        Gateway.Outcome o = run("{ books(limit: 1) { id } __schema { queryType { name } } __typename }", Map.of());
        JsonNode data = Fixture.dataOf(o.response());
        assertEquals(List.of("books", "__schema", "__typename"), iterate(data));
        assertEquals("Query", data.get("__schema").get("queryType").get("name").asText());
        assertEquals("Query", data.get("__typename").asText());
        assertEquals("Book", Fixture.dataOf(run("{ __type(name: \"Book\") { name } }", Map.of()).response()).get("__type").get("name").asText());
    }

    /** The data of a response that also has errors. */
    private static JsonNode data(Map<String, Object> response) {
        return Fixture.JSON.valueToTree(response.get("data"));
    }

    private static List<String> iterate(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void anArgumentThatDoesNotPlanIsAGraphqlErrorBeforeAnySql() {
        Gateway.Outcome root = run("{ books(where: {title: {eq: null}}) { id } }", Map.of());
        assertEquals("BAD_USER_INPUT", Fixture.codeOf(root.response()));
        assertEquals(List.of("books"), errors(root).get(0).get("path"));
        assertEquals(0, root.statements());

        Gateway.Outcome nested = run("{ authors { books(limit: -1) { id } } }", Map.of());
        // a field error at the first author's books; the non-null list nulls the authors and data, so the rest are not reached
        assertEquals(1, errors(nested).size(), () -> nested.response().toString());
        assertEquals("BAD_USER_INPUT", Fixture.codeOf(nested.response()));
        assertEquals(List.of("authors", 0, "books"), errors(nested).get(0).get("path"));
        assertNull(nested.response().get("data"));
        assertEquals(1, nested.statements(), "the authors only: nothing runs for the field that did not plan");

        Gateway.Outcome tooMany = run("{ authors { name books(limit: 1000000) { id } } }", Map.of());
        assertEquals("QUERY_TOO_COMPLEX", Fixture.codeOf(tooMany.response()));
        assertEquals(0, tooMany.statements(), "a limit refusal stops the whole operation before any SQL");
        assertNull(tooMany.response().get("data"));

        Gateway.Outcome mutation = run("mutation { a: createTag(data: {label: \"ok\"}) { id } b: updateTags(where: {label: {eq: null}}, set: {label: \"x\"}) { affectedRows } }", Map.of());
        assertEquals("BAD_USER_INPUT", Fixture.codeOf(mutation.response()));
        assertEquals(0, mutation.statements(), "a mutation runs no statement when any of its fields does not plan");
        assertTrue(mutation.response().containsKey("data") && mutation.response().get("data") == null, () -> mutation.response().toString());
        assertEquals(0, Fixture.dataOf(f.run("{ tagsAggregate(where: {label: {eq: \"ok\"}}) { count } }")).get("tagsAggregate").get("count").asInt());
    }

    @Test
    void aFailedLevelGivesAnErrorAtEachPathItReaches() {
        f.sql("DROP TABLE biographies");
        Map<String, Object> response = gateway.execute(new Gateway.Request("{ authors { name bio { text } } books(limit: 1) { id } }", Map.of(), null));
        assertEquals(4, ((List<?>) response.get("errors")).size(), "one error per author whose bio could not load");
        assertEquals("INTERNAL_SERVER_ERROR", Fixture.codeOf(response));
        assertFalse(response.toString().toLowerCase().contains("biographies"), "no SQL or table names reach the client");
        assertEquals(1, data(response).get("books").size(), "the other root field is answered");
    }

    @Test
    void aRootFailureNullsOnlyItsField() {
        f.sql("DROP TABLE book_tags", "DROP TABLE tags");
        Gateway.Outcome o = run("{ book(id: 1) { title } tag(id: 1) { label } }", Map.of());
        JsonNode data = data(o.response());
        assertEquals("A Wizard of Earthsea", data.get("book").get("title").asText());
        assertTrue(data.get("tag").isNull());
        assertEquals(List.of("tag"), errors(o).get(0).get("path"));
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
            Gateway l = new Gateway(o.models, o.db, Telemetry.none(), Config.Limits.defaults());
            Principal ann = new Principal("user", Map.of("role", "user", "userId", "1"));
            // Bob is not Ann's to read: Tom's non-null owner is null, so Tom, and the non-null list, and data are null
            Map<String, Object> r = l.execute(new Gateway.Request("{ pets { name owner { name } } }", Map.of(), null, ann));
            assertTrue(r.containsKey("data") && r.get("data") == null, r::toString);
            assertEquals(List.of("pets", 1, "owner"), ((Map<?, ?>) ((List<?>) r.get("errors")).get(0)).get("path"));
            assertEquals(1, ((List<?>) r.get("errors")).size(), "one error, none for the positions the null bubbles through");
            // a nullable to-one just comes back null, with no error
            Fixture.assertJson("{\"pets\": [{\"name\": \"Rex\", \"vet\": null}, {\"name\": \"Tom\", \"vet\": {\"name\": \"Ann\"}}]}",
                    Fixture.dataOf(l.execute(new Gateway.Request("{ pets { name vet { name } } }", Map.of(), null, ann))));
            // a nullable root keeps its siblings
            Map<String, Object> p = l.execute(new Gateway.Request("{ pet(id: 2) { name owner { name } } owners { name } }", Map.of(), null, ann));
            Fixture.assertJson("{\"pet\": null, \"owners\": [{\"name\": \"Ann\"}]}", data(p));
        }
    }

    @Test
    void aBulkCreateKeepsTheInputOrderWhateverFieldsEachRowSets() {
        // rows that set different fields alternate: their keys must still ascend in input order
        Gateway.Outcome o = run("mutation { createBooks(data: [{title: \"a\", pages: 1}, {title: \"b\"}, {title: \"c\", pages: 3},"
                + " {title: \"d\", price: 1.5}, {title: \"e\"}]) { id title } }", Map.of());
        JsonNode books = Fixture.dataOf(o.response()).get("createBooks");
        assertEquals(List.of("a", "b", "c", "d", "e"), List.of(books.get(0).get("title").asText(), books.get(1).get("title").asText(),
                books.get(2).get("title").asText(), books.get(3).get("title").asText(), books.get(4).get("title").asText()));
        for (int i = 1; i < books.size(); i++) {
            assertTrue(books.get(i).get("id").asInt() > books.get(i - 1).get("id").asInt(), () -> "keys ascend in input order: " + books);
        }
        JsonNode stored = Fixture.dataOf(f.run("{ books(where: {id: {gt: 8}}, orderBy: [{id: ASC}]) { title } }")).get("books");
        assertEquals("abcde", stored.findValuesAsText("title").stream().reduce("", String::concat));
    }

    @Test
    void aMutationReadsWhatItWroteInItsTransaction() {
        Gateway.Outcome o = run("mutation { createTag(data: {label: \"new\"}) { label books { id } } n: __typename }", Map.of());
        assertTrue(o.success(), () -> o.response().toString());
        Fixture.assertJson("{\"createTag\": {\"label\": \"new\", \"books\": []}, \"n\": \"Mutation\"}", Fixture.dataOf(o.response()));
    }
}
