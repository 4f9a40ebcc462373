package dev.modelgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.Library;
import dev.modelgate.support.LibrarySuite;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.modelgate.support.Fixture.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ordering, paging, lookup by key, aggregates and relationship fields of the derived read API. */
@ParameterizedClass
@EnumSource(TestDb.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadApiTest extends LibrarySuite {
    @ParameterizedTest(name = "books({0}) → {1}")
    @CsvSource(delimiter = '|', value = {
            "orderBy: [{price: ASC}]                         | [5, 4, 1, 2, 7, 6, 3, 8]",
            "orderBy: [{price: DESC}]                        | [3, 8, 6, 7, 2, 1, 4, 5]",
            "orderBy: [{price: ASC_NULLS_FIRST}]             | [3, 8, 5, 4, 1, 2, 7, 6]",
            "orderBy: [{price: ASC_NULLS_LAST}]              | [5, 4, 1, 2, 7, 6, 3, 8]",
            "orderBy: [{price: DESC_NULLS_FIRST}]            | [3, 8, 6, 7, 2, 1, 4, 5]",
            "orderBy: [{price: DESC_NULLS_LAST}]             | [6, 7, 2, 1, 4, 5, 3, 8]",
            "orderBy: [{inPrint: ASC}, {pages: DESC}]        | [6, 3, 7, 2, 4, 5, 1, 8]",
            "orderBy: [{author: {name: ASC}}]                | [4, 5, 6, 7, 1, 2, 3, 8]",
            "orderBy: [{author: {name: DESC}}, {id: DESC}]   | [8, 3, 2, 1, 7, 6, 5, 4]",
            "orderBy: [{author: {bio: {text: ASC}}}]         | [1, 2, 3, 7, 4, 5, 6, 8]",
            "orderBy: [{genre: DESC}]                        | [8, 6, 7, 1, 2, 3, 4, 5]",
            "orderBy: [{title: ASC}], limit: 2               | [8, 1]",
            "limit: 3, offset: 2                             | [3, 4, 5]",
            "offset: 6                                       | [7, 8]",
            "limit: 0                                        | []",
            "orderBy: [{inPrint: DESC}], limit: 3, offset: 1 | [2, 4, 5]",
    })
    void orderingAndPaging(String args, String expected) {
        assertEquals(expected, ids("books", args).toString());
    }

    @Test
    void withoutOrderByRowsComeInPrimaryKeyOrder() {
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), ids("books", "where: {id: {in: [8, 3, 1, 2, 7, 4, 6, 5]}}"));
    }

    @Test
    void lookupByPrimaryKey() {
        assertJson("{\"book\": {\"title\": \"SPQR\", \"genre\": \"HISTORY\", \"price\": \"18.00\", \"inPrint\": true,"
                        + " \"published\": \"2015-10-20T00:00:00.000Z\", \"author\": {\"name\": \"Mary Beard\", \"born\": \"1955-01-01\"}},"
                        + " \"missing\": null}",
                f.data("{ book(id: 7) { title genre price inPrint published author { name born } } missing: book(id: 99) { id } }"));
    }

    @Test
    void rootAggregates() {
        JsonNode d = f.data("{ booksAggregate { count sum { pages } avg { pages } min { price title published } max { price pages } } }");
        assertJson("{\"booksAggregate\": {\"count\": 8, \"sum\": {\"pages\": \"1880\"}, \"avg\": {\"pages\": " + (1880.0 / 7) + "},"
                + " \"min\": {\"price\": \"7.50\", \"title\": \"100% Pure_Fiction\", \"published\": \"1950-12-02T00:00:00.000Z\"},"
                + " \"max\": {\"price\": \"30.00\", \"pages\": 608}}}", d);
    }

    @Test
    void aggregatesWithFilterAndOverNoRows() {
        assertJson("{\"a\": {\"count\": 3, \"max\": {\"pages\": 255}}, \"none\": {\"count\": 0, \"sum\": {\"pages\": null}}}",
                f.data("{ a: booksAggregate(where: {authorId: {eq: 2}}) { count max { pages } }"
                        + " none: booksAggregate(where: {id: {in: []}}) { count sum { pages } } }"));
    }

    @Test
    void relationshipsPerParent() {
        JsonNode d = f.data("{ authors { name books(orderBy: [{pages: DESC}], limit: 2) { title } booksAggregate { count } bio { text } } }");
        assertJson("{\"authors\": ["
                + "{\"name\": \"Ursula Le Guin\", \"books\": [{\"title\": \"The Dispossessed\"}, {\"title\": \"The Lathe of Heaven\"}], \"booksAggregate\": {\"count\": 3}, \"bio\": {\"text\": \"Born in Berkeley\"}},"
                + "{\"name\": \"Isaac Asimov\", \"books\": [{\"title\": \"The Intelligent Man's Guide to Science\"}, {\"title\": \"Foundation\"}], \"booksAggregate\": {\"count\": 3}, \"bio\": null},"
                + "{\"name\": \"Mary Beard\", \"books\": [{\"title\": \"SPQR\"}], \"booksAggregate\": {\"count\": 1}, \"bio\": {\"text\": \"Classicist\"}},"
                + "{\"name\": \"Nobody\", \"books\": [], \"booksAggregate\": {\"count\": 0}, \"bio\": null}]}", d);
    }

    @Test
    void offsetAndWhereApplyPerParent() {
        JsonNode d = f.data("{ authors { second: books(orderBy: [{id: ASC}], offset: 1, limit: 1) { id }"
                + " outOfPrint: books(where: {inPrint: {eq: false}}) { id }"
                + " fiction: booksAggregate(where: {genre: {eq: FICTION}}) { count sum { pages } avg { price } } } }");
        assertJson("{\"authors\": ["
                + "{\"second\": [{\"id\": 2}], \"outOfPrint\": [{\"id\": 3}], \"fiction\": {\"count\": 3, \"sum\": {\"pages\": \"754\"}, \"avg\": {\"price\": 11.245}}},"
                + "{\"second\": [{\"id\": 5}], \"outOfPrint\": [{\"id\": 6}], \"fiction\": {\"count\": 2, \"sum\": {\"pages\": \"508\"}, \"avg\": {\"price\": 7.75}}},"
                + "{\"second\": [], \"outOfPrint\": [], \"fiction\": {\"count\": 0, \"sum\": {\"pages\": null}, \"avg\": {\"price\": null}}},"
                + "{\"second\": [], \"outOfPrint\": [], \"fiction\": {\"count\": 0, \"sum\": {\"pages\": null}, \"avg\": {\"price\": null}}}]}", d);
    }

    @Test
    void manyToManyBothWaysWithPerParentLimit() {
        JsonNode d = f.data("{ books(where: {id: {in: [1, 4, 8]}}) { id tags(orderBy: [{label: ASC}]) { label } tagsAggregate { count } }"
                + " tags { label books(orderBy: [{id: DESC}], limit: 2) { id } } }");
        assertJson("{\"books\": ["
                + "{\"id\": 1, \"tags\": [{\"label\": \"classic\"}, {\"label\": \"fantasy\"}], \"tagsAggregate\": {\"count\": 2}},"
                + "{\"id\": 4, \"tags\": [{\"label\": \"classic\"}, {\"label\": \"sci-fi\"}], \"tagsAggregate\": {\"count\": 2}},"
                + "{\"id\": 8, \"tags\": [], \"tagsAggregate\": {\"count\": 0}}],"
                + " \"tags\": [{\"label\": \"classic\", \"books\": [{\"id\": 4}, {\"id\": 1}]},"
                + " {\"label\": \"sci-fi\", \"books\": [{\"id\": 5}, {\"id\": 4}]},"
                + " {\"label\": \"fantasy\", \"books\": [{\"id\": 1}]}, {\"label\": \"rome\", \"books\": [{\"id\": 7}]}]}", d);
    }

    @Test
    void belongsToWithNullKeyIsNullAndHasOneBack() {
        assertJson("{\"books\": [{\"id\": 3, \"author\": {\"bio\": {\"author\": {\"name\": \"Ursula Le Guin\"}}}}, {\"id\": 8, \"author\": null}]}",
                f.data("{ books(where: {id: {in: [3, 8]}}) { id author { bio { author { name } } } } }"));
    }

    @Test
    void eachRelationshipLevelIsOneStatementWithTheFilterInside() {
        List<String> sql = f.statements(() -> f.data("{ authors { books(where: {pages: {gt: 200}}, limit: 1) { tags { books { author { name } } } } } }"));
        assertEquals(5, sql.size(), sql::toString);   // authors, books, tags, books, author
        assertTrue(sql.get(1).contains("ROW_NUMBER() OVER (PARTITION BY"), sql.get(1));
        assertTrue(sql.get(1).contains(f.db.dialect().quote("pages") + " > ?"), sql.get(1));
    }

    // ---- bad input ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{ books(where: {title: {eq: null}}) { id } }",
            "{ books(where: {title: null}) { id } }",
            "{ books(where: {and: null}) { id } }",
            "{ books(where: {title: {}}) { id } }",
            "{ books(limit: -1) { id } }",
            "{ books(offset: -5) { id } }",
            "{ books(orderBy: [{title: ASC, id: DESC}]) { id } }",
            "{ books(orderBy: [{}]) { id } }",
            "{ books(orderBy: [{author: {name: ASC, id: ASC}}]) { id } }",
            "{ authors { books(limit: -1) { id } } }",
            "{ authors { booksAggregate(where: {id: {in: null}}) { count } } }",
    })
    void badArgumentsAreBadUserInput(String query) {
        assertEquals("BAD_USER_INPUT", f.errorCode(query, Map.of()));
    }

    @Test
    void nullOrMissingVariableInAFilterIsRefusedNotDropped() {
        Map<String, Object> nullVar = new HashMap<>();
        nullVar.put("t", null);
        String q = "query($t: String) { books(where: {title: {eq: $t}}) { id } }";
        assertEquals("BAD_USER_INPUT", f.errorCode(q, nullVar));
        assertEquals("BAD_USER_INPUT", f.errorCode(q, Map.of()));
        assertEquals("BAD_USER_INPUT", f.errorCode("query($f: StringFilter) { books(where: {title: $f}) { id } }", Map.of()));
        assertEquals("BAD_USER_INPUT", f.errorCode("query($w: BookWhere!) { books(where: {and: [$w]}) { id } }", Map.of()));
    }

    @Test
    void parseValidationAndVariableErrorsHaveTheirCodes() {
        assertEquals("GRAPHQL_PARSE_FAILED", f.errorCode("{ books { id ", Map.of()));
        assertEquals("GRAPHQL_VALIDATION_FAILED", f.errorCode("{ books { nope } }", Map.of()));
        assertEquals("GRAPHQL_VALIDATION_FAILED", f.errorCode("{ books(where: {title: {eq: 5}}) { id } }", Map.of()));
        assertEquals("BAD_USER_INPUT", f.errorCode("query($n: Int) { books(limit: $n) { id } }", Map.of("n", "many")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyErrorCarriesARequestIdAndNoSql() {
        try (Fixture broken = Library.on(f.kind)) {
            broken.sql("DROP TABLE biographies");
            Map<String, Object> r = broken.run("{ authors { bio { text } } }");
            List<Map<String, Object>> errors = (List<Map<String, Object>>) r.get("errors");
            assertFalse(errors.isEmpty());
            for (Map<String, Object> e : errors) {
                Map<String, Object> ext = (Map<String, Object>) e.get("extensions");
                assertEquals("INTERNAL_SERVER_ERROR", ext.get("code"));
                assertTrue(ext.get("requestId").toString().length() > 10);
                String message = e.get("message").toString().toLowerCase();
                assertFalse(message.contains("select") || message.contains("sql") || message.contains("biographies"), message);
            }
        }
    }
}
