package dev.modelgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.auth.Principal;
import dev.modelgate.model.ModelException;
import dev.modelgate.model.ModelParser;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Global object identification: every model with a key is a {@code Node} with an opaque, stable
 * {@code nodeId} (base64 of the type name and the key values), and {@code Query.node} finds the
 * row again as the role may read it, in one statement, on every database.
 */
class NodeIdTest {
    static final String SDL = """
            type Author @model(table: "authors") @allow(role: "reader", read: {}) @allow(role: "anonymous", read: {}, fields: ["name"]) {
              id: Int! @id
              name: String!
              books: [Book!]! @hasMany(key: "authorId")
            }
            type Book @model(table: "books") @allow(role: "reader", read: {published: {eq: true}}) {
              id: Int! @id
              title: String!
              published: Boolean!
              authorId: Int!
              author: Author! @belongsTo(key: "authorId")
            }
            type Shelf @model(table: "shelves") @allow(role: "reader", read: {}) {
              room: String! @id
              slot: Int! @id
              label: String
            }
            type Draft @model(table: "drafts") {
              id: Int! @id
              body: String
            }
            """;

    static Fixture library(TestDb db) {
        Fixture f = Fixture.on(db, SDL);
        f.sql("INSERT INTO authors (id, name) VALUES (1, 'Ursula'), (2, 'Isaac')",
                "INSERT INTO books (id, title, published, author_id) VALUES (1, 'Earthsea', " + (db == TestDb.SQLITE ? "1" : "TRUE") + ", 1),"
                        + " (2, 'Unpublished', " + (db == TestDb.SQLITE ? "0" : "FALSE") + ", 1)",
                "INSERT INTO shelves (room, slot, label) VALUES ('A', 1, 'fiction'), ('A', 2, 'history')",
                "INSERT INTO drafts (id, body) VALUES (1, 'secret')");
        return f;
    }

    static String id(Object... typeAndKey) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < typeAndKey.length; i++) {
            Object v = typeAndKey[i];
            json.append(i > 0 ? "," : "").append(v instanceof String s ? "\"" + s + "\"" : String.valueOf(v));
        }
        return Base64.getEncoder().encodeToString(json.append("]").toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Principal reader() {
        return new Principal("reader", Map.of("role", "reader"));
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void everyKeyedRowHasAnIdThatFindsItAgain(TestDb db) {
        try (Fixture f = library(db)) {
            JsonNode data = f.data("{ authors { id nodeId } books { id nodeId } shelves { room slot nodeId } drafts { nodeId } }");
            assertEquals(id("Author", 1), data.get("authors").get(0).get("nodeId").asText());
            assertEquals(id("Shelf", "A", 2), data.get("shelves").get(1).get("nodeId").asText());
            for (String list : List.of("authors", "books", "shelves", "drafts")) {
                for (JsonNode row : data.get(list)) {
                    String nodeId = row.get("nodeId").asText();
                    List<String> sql = f.statements(() -> {
                        JsonNode found = f.data("{ node(nodeId: \"" + nodeId + "\") { __typename nodeId } }").get("node");
                        assertEquals(nodeId, found.get("nodeId").asText());
                        assertTrue(list.startsWith(found.get("__typename").asText().toLowerCase().substring(0, 4)), found.toString());
                    });
                    assertEquals(1, sql.size(), "one statement: " + sql);
                }
            }
            JsonNode book = f.data("{ node(nodeId: \"" + id("Book", 1) + "\") { ... on Book { title author { name books { title } } } ... on Author { name } } }")
                    .get("node");
            assertEquals("Earthsea", book.get("title").asText());
            assertEquals("Ursula", book.get("author").get("name").asText());
            assertEquals(2, book.get("author").get("books").size());
            assertEquals("history", f.data("{ node(nodeId: \"" + id("Shelf", "A", 2) + "\") { ... on Shelf { label } } }").get("node").get("label").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"SQLITE", "POSTGRESQL"})
    void anIdOfNothingOrOfARowTheRoleMayNotReadIsNullAndAMalformedOneIsRefused(TestDb db) {
        try (Fixture f = library(db)) {
            assertTrue(f.data("{ node(nodeId: \"" + id("Author", 99) + "\") { nodeId } }").get("node").isNull());
            assertTrue(f.data("{ node(nodeId: \"" + id("Nothing", 1) + "\") { nodeId } }").get("node").isNull());
            assertTrue(f.data("{ node(nodeId: \"" + id("Author", 1, 2) + "\") { nodeId } }").get("node").isNull(), "a key of the wrong length");

            Map<String, Object> asReader = f.runAs(reader(), "{ a: node(nodeId: \"" + id("Book", 1) + "\") { nodeId }"
                    + " b: node(nodeId: \"" + id("Book", 2) + "\") { nodeId } c: node(nodeId: \"" + id("Draft", 1) + "\") { nodeId } }", Map.of());
            assertNull(asReader.get("errors"), String.valueOf(asReader));
            JsonNode d = Fixture.JSON.valueToTree(asReader.get("data"));
            assertEquals(id("Book", 1), d.get("a").get("nodeId").asText());
            assertTrue(d.get("b").isNull(), "a book outside the role's read filter");
            assertTrue(d.get("c").isNull(), "a model the role may not read");

            for (String bad : List.of("not base64!", Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8)),
                    id("Author", "x"))) {
                assertEquals("BAD_USER_INPUT", f.errorCode("{ node(nodeId: \"" + bad + "\") { nodeId } }", Map.of()), bad);
            }
        }
    }

    @Test
    void aRoleThatMayNotSeeTheKeyDoesNotSeeTheId() {
        try (Fixture f = library(TestDb.SQLITE)) {
            String code = Fixture.codeOf(f.runAs(Principal.anonymous(), "{ authors { nodeId } }", Map.of()));
            assertEquals("GRAPHQL_VALIDATION_FAILED", code);
            Map<String, Object> ok = f.runAs(Principal.anonymous(), "{ authors { name } }", Map.of());
            assertNull(ok.get("errors"), String.valueOf(ok));
        }
    }

    @Test
    void aModelWithAFieldOfItsOwnNamedNodeIdIsAModelError() {
        ModelException e = assertThrows(ModelException.class, () -> ModelParser.parse(List.of(new ModelParser.Source("m.graphqls", """
                type Thing @model(table: "things") { id: Int! @id  nodeId: String }
                """))));
        assertTrue(e.problems().toString().contains("Thing.nodeId: every model with a key gets a field nodeId"), e.problems().toString());
    }
}
