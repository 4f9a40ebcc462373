package dev.modelgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.Library;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.modelgate.support.Fixture.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mutation API: for each write, the response and the rows in the database after it. */
@ParameterizedClass
@EnumSource(TestDb.class)
class MutationTest {
    @Parameter
    TestDb db;
    Fixture f;

    @BeforeEach
    void load() {
        f = Library.on(db);
    }

    @AfterEach
    void close() {
        f.close();
    }

    JsonNode q(String query) {
        return f.data(query);
    }

    int count(String listWhere) {
        return q("{ booksAggregate(where: " + listWhere + ") { count } }").get("booksAggregate").get("count").asInt();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> firstError(Map<String, Object> result) {
        return ((List<Map<String, Object>>) result.get("errors")).get(0);
    }

    @SuppressWarnings("unchecked")
    String code(Map<String, Object> error) {
        return (String) ((Map<String, Object>) error.get("extensions")).get("code");
    }

    @Test
    void createReturnsTheRowWithItsRelationships() {
        JsonNode d = q("mutation { createBook(data: {title: \"Tehanu\", pages: 252, price: 11.5, authorId: 1, genre: FICTION,"
                + " published: \"1990-02-01T10:00:00+01:00\"}) { id title inPrint published author { name } } }");
        assertJson("{\"createBook\": {\"id\": 9, \"title\": \"Tehanu\", \"inPrint\": true, \"published\": \"1990-02-01T09:00:00.000Z\","
                + " \"author\": {\"name\": \"Ursula Le Guin\"}}}", d);
        assertJson("{\"book\": {\"pages\": 252, \"price\": \"11.50\", \"genre\": \"FICTION\"}}", q("{ book(id: 9) { pages price genre } }"));
    }

    @Test
    void bulkNestedCreateIsOneStatementPerTableNotPerRow() {
        String authors = "[" + String.join(", ", java.util.Collections.nCopies(20,
                "{name: \"A\", bio: {text: \"b\"}, books: [{title: \"x\", tags: {connect: [1], create: [{label: \"t\"}]}}, {title: \"y\"}, {title: \"z\"}]}"))
                .replace("label: \\\"t\\\"", "label: \\\"t\\\"") + "]";
        // tag labels are unique: make each one distinct
        StringBuilder sb = new StringBuilder(authors);
        for (int i = 0, at = sb.indexOf("label: \"t\""); at >= 0; i++, at = sb.indexOf("label: \"t\"", at + 1)) {
            sb.replace(at, at + 10, "label: \"t" + i + "\"");
        }
        List<String> sql = f.statements(() -> q("mutation { createAuthors(data: " + sb + ") { id } }"));
        // authors, biographies, books, tags, book_tags, then the authors read back
        assertEquals(6, sql.size(), () -> String.join("\n", sql));
        assertJson("{\"authorsAggregate\": {\"count\": 24}, \"booksAggregate\": {\"count\": 68}, \"biographiesAggregate\": {\"count\": 22},"
                        + " \"tagsAggregate\": {\"count\": 24}}",
                q("{ authorsAggregate { count } booksAggregate { count } biographiesAggregate { count } tagsAggregate { count } }"));
        JsonNode last = q("{ authors(orderBy: [{id: DESC}], limit: 1) { bio { text } books(orderBy: [{title: ASC}]) { title tags(orderBy: [{id: ASC}]) { label } } } }");
        assertJson("{\"authors\": [{\"bio\": {\"text\": \"b\"}, \"books\": [{\"title\": \"x\", \"tags\": [{\"label\": \"classic\"}, {\"label\": \"t19\"}]},"
                + " {\"title\": \"y\", \"tags\": []}, {\"title\": \"z\", \"tags\": []}]}]}", last);
    }

    @Test
    void createWithManyToManyConnectAndCreate() {
        JsonNode d = q("mutation { createBook(data: {title: \"New\", tags: {connect: [2, 4], create: [{label: \"space\"}]}}) {"
                + " tags(orderBy: [{label: ASC}]) { label } } }");
        assertJson("{\"createBook\": {\"tags\": [{\"label\": \"rome\"}, {\"label\": \"sci-fi\"}, {\"label\": \"space\"}]}}", d);
    }

    @Test
    void updateSetsIncrementsAndSetsNullExplicitly() {
        JsonNode d = q("mutation { updateBook(id: 1, set: {title: \"Earthsea\", price: null}, inc: {pages: 10}) { title price pages } }");
        assertJson("{\"updateBook\": {\"title\": \"Earthsea\", \"price\": null, \"pages\": 193}}", d);
        assertJson("{\"book\": {\"title\": \"Earthsea\", \"price\": null, \"pages\": 193, \"genre\": \"FICTION\"}}",
                q("{ book(id: 1) { title price pages genre } }"));
        assertJson("{\"updateBook\": null}", q("mutation { updateBook(id: 99, set: {title: \"x\"}) { id } }"));
    }

    @Test
    void updateManyCountsMatchedRowsAndReturnsThem() {
        JsonNode d = q("mutation { updateBooks(where: {authorId: {eq: 2}}, set: {inPrint: true}) { affectedRows returning { id inPrint } } }");
        assertJson("{\"updateBooks\": {\"affectedRows\": 3, \"returning\": [{\"id\": 4, \"inPrint\": true}, {\"id\": 5, \"inPrint\": true},"
                + " {\"id\": 6, \"inPrint\": true}]}}", d);
        assertEquals(1, count("{inPrint: {eq: false}}"));
    }

    @Test
    void manyToManyConnectAndDisconnectOnUpdate() {
        q("mutation { updateBook(id: 1, set: {tags: {connect: [2, 1], disconnect: [3]}}) { id } }");
        assertJson("{\"book\": {\"tags\": [{\"id\": 1}, {\"id\": 2}]}}", q("{ book(id: 1) { tags { id } } }"));
    }

    @Test
    void aWhereWithAMissingVariableNeverTouchesEveryRow() {
        Map<String, Object> r = f.run("mutation($t: String) { deleteBooks(where: {title: {eq: $t}}) { affectedRows } }", Map.of());
        assertEquals("BAD_USER_INPUT", code(firstError(r)));
        assertEquals(8, count("{}"));
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("t", null);
        r = f.run("mutation($t: String) { updateBooks(where: {title: {eq: $t}}, set: {pages: 1}) { affectedRows } }", nulls);
        assertEquals("BAD_USER_INPUT", code(firstError(r)));
        assertEquals(0, count("{pages: {eq: 1}}"));
    }

    @Test
    void anEmptyWhereMeansEveryRow() {
        assertJson("{\"updateBooks\": {\"affectedRows\": 8}}", q("mutation { updateBooks(where: {}, inc: {pages: 1}) { affectedRows } }"));
        // the seven books with pages got one more each; NULL + 1 stays NULL
        assertEquals(1880 + 7, q("{ booksAggregate { sum { pages } } }").get("booksAggregate").get("sum").get("pages").asInt());
    }

    @Test
    void upsertByUniqueFieldAndByPrimaryKey() {
        assertJson("{\"upsertTag\": {\"id\": 5, \"label\": \"new\"}}", q("mutation { upsertTag(data: {label: \"new\"}) { id label } }"));
        assertJson("{\"upsertTag\": {\"id\": 2, \"label\": \"sci-fi\"}}", q("mutation { upsertTag(data: {label: \"sci-fi\"}) { id label } }"));
        assertJson("{\"upsertBook\": {\"id\": 3, \"title\": \"Lathe\", \"pages\": 184}}",
                q("mutation { upsertBook(data: {id: 3, title: \"ignored\"}, update: {title: \"Lathe\"}) { id title pages } }"));
        assertJson("{\"upsertBook\": {\"id\": 50, \"title\": \"Fresh\"}}", q("mutation { upsertBook(data: {id: 50, title: \"Fresh\"}) { id title } }"));
        assertEquals("BAD_USER_INPUT", code(firstError(f.run("mutation { upsertBook(data: {title: \"no key\"}) { id } }"))));
        assertEquals(5, q("{ tagsAggregate { count } }").get("tagsAggregate").get("count").asInt());
    }

    @Test
    void deleteRemovesTheRowAndItsLinks() {
        assertJson("{\"deleteBook\": {\"title\": \"A Wizard of Earthsea\"}}", q("mutation { deleteBook(id: 1) { title } }"));
        assertNull(q("{ book(id: 1) { id } }").get("book").textValue());
        assertJson("{\"tag\": {\"books\": [{\"id\": 4}]}}", q("{ tag(id: 1) { books { id } } }"));
        assertJson("{\"deleteBook\": null}", q("mutation { deleteBook(id: 1) { title } }"));
        assertJson("{\"deleteTags\": {\"affectedRows\": 2, \"returning\": [{\"label\": \"sci-fi\"}, {\"label\": \"fantasy\"}]}}",
                q("mutation { deleteTags(where: {id: {in: [2, 3]}}) { affectedRows returning { label } } }"));
        assertJson("{\"book\": {\"tags\": []}}", q("{ book(id: 2) { tags { id } } }"));
    }

    @Test
    void aReferencedRowIsNotDeleted() {
        Map<String, Object> r = f.run("mutation { deleteAuthor(id: 2) { id } }");
        assertEquals("CONSTRAINT_VIOLATION", code(firstError(r)));
        assertEquals("cannot delete Author: Book.authorId still references it", firstError(r).get("message"));
        assertNull(r.get("data"));
        assertEquals(4, q("{ authorsAggregate { count } }").get("authorsAggregate").get("count").asInt());
    }

    @Test
    void aFailedFieldRollsBackTheWholeOperation() {
        Map<String, Object> r = f.run("mutation { a: createTag(data: {label: \"brand new\"}) { id } b: updateBook(id: 2, inc: {pages: 1}) { id }"
                + " c: createTag(data: {label: \"classic\"}) { id } d: deleteBook(id: 3) { id } }");
        assertTrue(r.containsKey("data"));
        assertNull(r.get("data"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) r.get("errors");
        assertEquals(1, errors.size(), errors::toString);
        assertEquals("CONSTRAINT_VIOLATION", code(errors.get(0)));
        assertEquals("Tag.label: another Tag already has this value", errors.get(0).get("message"));
        assertEquals(0, q("{ tagsAggregate(where: {label: {eq: \"brand new\"}}) { count } }").get("tagsAggregate").get("count").asInt());
        assertEquals(387, q("{ book(id: 2) { pages } }").get("book").get("pages").asInt());
        assertEquals(8, count("{}"));
    }

    @Test
    void constraintMessagesNameModelAndFieldNotSql() {
        Map<String, Object> fk = f.run("mutation { createBook(data: {title: \"x\", authorId: 999}) { id } }");
        assertEquals("CONSTRAINT_VIOLATION", code(firstError(fk)));
        assertEquals("Book.authorId: no Author has this key", firstError(fk).get("message"));
        Map<String, Object> unique = f.run("mutation { createBiography(data: {authorId: 1}) { id } }");
        assertEquals("Biography.authorId: another Biography already has this value", firstError(unique).get("message"));
        for (Map<String, Object> r : List.of(fk, unique)) {
            String m = firstError(r).get("message").toString();
            assertFalse(m.contains("INSERT") || m.contains("SQLITE") || m.contains("constraint failed"), m);
        }
    }

    @Test
    void valuesThatDoNotFitTheirColumnAreRefusedBeforeSql() {
        String longName = "x".repeat(101);
        List<String> sql = new ArrayList<>();
        Runnable stop = f.db.observer().listen(sql::add);
        assertEquals("BAD_USER_INPUT", code(firstError(f.run("mutation { createAuthor(data: {name: \"" + longName + "\"}) { id } }"))));
        assertEquals("BAD_USER_INPUT", code(firstError(f.run("mutation { createBook(data: {title: \"" + "y".repeat(256) + "\"}) { id } }"))));
        assertEquals("BAD_USER_INPUT", code(firstError(f.run("mutation { createBook(data: {title: \"p\", price: 1.005}) { id } }"))));
        assertEquals("BAD_USER_INPUT", code(firstError(f.run("mutation { createBook(data: {title: \"p\", price: 1000000}) { id } }"))));
        assertEquals("BAD_USER_INPUT", code(firstError(f.run("mutation { updateBook(id: 1, set: {title: null}) { id } }"))));
        stop.run();
        assertEquals(List.of(), sql);
        q("mutation { createAuthor(data: {name: \"" + "é".repeat(100) + "\"}) { id } createBook(data: {title: \"p\", price: 999999.99}) { id } }");
    }

    @Test
    void injectionStringsAreStoredVerbatimAndHarmNothing() {
        String evil = "Robert'); DROP TABLE books; -- \\\" OR 1=1 /* %_! */";
        Map<String, Object> vars = Map.of("t", evil);
        JsonNode d = f.data("mutation($t: String!) { createBook(data: {title: $t}) { id title } }", vars);
        assertEquals(evil, d.get("createBook").get("title").asText());
        assertJson("{\"books\": [{\"id\": 9}]}", f.data("query($t: String!) { books(where: {title: {eq: $t}}) { id } }", vars));
        assertJson("{\"books\": [{\"id\": 9}]}", f.data("query($t: String!) { books(where: {title: {contains: $t}}) { id } }", vars));
        assertEquals(9, count("{}"));
    }

    @Test
    void concurrentIncrementsAndUpsertsEndExact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Map<String, Object>>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(pool.submit(() -> f.run("mutation { updateBook(id: 1, inc: {pages: 1}) { id }"
                    + " upsertTag(data: {label: \"hot\"}) { id } }")));
        }
        for (Future<Map<String, Object>> r : results) {
            assertNull(r.get().get("errors"), () -> r.toString());
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(183 + 200, q("{ book(id: 1) { pages } }").get("book").get("pages").asInt());
        assertEquals(1, q("{ tagsAggregate(where: {label: {eq: \"hot\"}}) { count } }").get("tagsAggregate").get("count").asInt());
    }
}
