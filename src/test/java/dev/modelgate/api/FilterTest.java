package dev.modelgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.Library;
import dev.modelgate.support.LibrarySuite;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every filter operator of docs/api.md, on the library data; expected ids worked out by hand. */
@ParameterizedClass
@EnumSource(TestDb.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilterTest extends LibrarySuite {
    List<Integer> where(String listField, String where) {
        return ids(listField, "where: " + where);
    }

    @ParameterizedTest(name = "books where {0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "{title: {eq: \"SPQR\"}}                                  | [7]",
            "{genre: {ne: FICTION}}                                   | [6, 7]",
            "{pages: {gt: 250}}                                       | [2, 4, 5, 7]",
            "{pages: {gte: 255}}                                      | [2, 4, 7]",
            "{pages: {lt: 184}}                                       | [1, 8]",
            "{pages: {lte: 184}}                                      | [1, 3, 8]",
            "{pages: {gte: 184, lte: 255}}                            | [3, 4, 5]",
            "{id: {in: [1, 3, 99]}}                                   | [1, 3]",
            "{id: {in: []}}                                           | []",
            "{id: {notIn: []}}                                        | [1, 2, 3, 4, 5, 6, 7, 8]",
            "{id: {notIn: [1, 2]}}                                    | [3, 4, 5, 6, 7, 8]",
            "{price: {isNull: true}}                                  | [3, 8]",
            "{price: {isNull: false}}                                 | [1, 2, 4, 5, 6, 7]",
            "{title: {like: \"The %\"}}                               | [2, 3, 6]",
            "{title: {like: \"the %\"}}                               | []",
            "{title: {like: \"_PQR\"}}                                | [7]",
            "{title: {notLike: \"The %\"}}                            | [1, 4, 5, 7, 8]",
            "{title: {ilike: \"the %\"}}                              | [2, 3, 6]",
            "{title: {ilike: \"%EARTHSEA\"}}                          | [1]",
            "{title: {startsWith: \"100%\"}}                          | [8]",
            "{title: {startsWith: \"10_\"}}                           | []",
            "{title: {contains: \"e_F\"}}                             | [8]",
            "{title: {contains: \"_\"}}                               | [8]",
            "{title: {contains: \"%\"}}                               | [8]",
            "{title: {endsWith: \"Heaven\"}}                          | [3]",
            "{title: {endsWith: \"heaven\"}}                          | []",
            "{title: {gt: \"SPQR\"}}                                  | [2, 3, 6]",
            "{published: {gt: \"1960-01-01T00:00:00Z\"}}              | [1, 2, 7]",
            "{published: {eq: \"1968-11-01T02:00:00+02:00\"}}         | [1]",
            "{inPrint: {eq: false}}                                   | [3, 6]",
            "{inPrint: {ne: false}}                                   | [1, 2, 4, 5, 7, 8]",
            "{price: {gte: 12.5}}                                     | [2, 6, 7]",
            "{price: {eq: \"8.00\"}}                                  | [4]",
            "{genre: {in: [SCIENCE, HISTORY]}}                        | [6, 7]",
            "{genre: {isNull: true}}                                  | [8]",
            "{or: [{genre: {eq: HISTORY}}, {pages: {lt: 100}}]}      | [7, 8]",
            "{and: [{authorId: {eq: 1}}, {inPrint: {eq: true}}]}     | [1, 2]",
            "{not: {genre: {eq: FICTION}}}                            | [6, 7]",
            "{and: []}                                                | [1, 2, 3, 4, 5, 6, 7, 8]",
            "{or: []}                                                 | []",
            "{authorId: {eq: 2}, inPrint: {eq: true}}                 | [4, 5]",
            "{author: {name: {startsWith: \"Isaac\"}}}                | [4, 5, 6]",
            "{author: {bio: {text: {contains: \"Berkeley\"}}}}        | [1, 2, 3]",
            "{tags: {label: {eq: \"sci-fi\"}}}                        | [2, 4, 5]",
            "{tags: {label: {in: [\"classic\", \"rome\"]}}}           | [1, 4, 7]",
            "{not: {tags: {label: {eq: \"sci-fi\"}}}}                 | [1, 3, 6, 7, 8]",
    })
    void bookFilters(String where, String expected) {
        assertEquals(expected, where("books", where).toString());
    }

    @ParameterizedTest(name = "authors where {0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "{born: {lt: \"1930-01-01\"}}                             | [1, 2]",
            "{born: {isNull: true}}                                   | [4]",
            "{rating: {gt: 4.3}}                                      | [1]",
            "{books: {pages: {gt: 500}}}                              | [3]",
            "{books: {tags: {label: {eq: \"fantasy\"}}}}              | [1]",
            "{not: {books: {}}}                                       | [4]",
            "{bio: {text: {eq: \"Classicist\"}}}                      | [3]",
            "{name: {ilike: \"%a%\"}, books: {genre: {eq: SCIENCE}}}  | [2]",
    })
    void authorFilters(String where, String expected) {
        assertEquals(expected, where("authors", where).toString());
    }

    @Test
    void tagsThroughManyToManyAndBelongsTo() {
        assertEquals(List.of(1, 2), where("tags", "{books: {author: {name: {eq: \"Isaac Asimov\"}}}}"));
    }

    @Test
    void filterValuesAreBoundParametersNotSql() {
        List<String> sql = f.statements(() -> assertEquals(List.of(), where("books", "{title: {eq: \"x' OR '1'='1\"}}")));
        assertEquals(1, sql.size());
        assertEquals(false, sql.get(0).contains("OR '1'"), sql.get(0));
    }

    @Test
    void filterVariablesWork() {
        JsonNode d = f.data("query($w: BookWhere) { books(where: $w) { id } }",
                Map.of("w", Map.of("pages", Map.of("gt", 300))));
        Fixture.assertJson("{\"books\": [{\"id\": 2}, {\"id\": 7}]}", d);
    }
}
