package dev.modelgate.exec;

import dev.modelgate.config.Config;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.modelgate.support.Fixture.assertJson;
import static dev.modelgate.support.Fixture.codeOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attack suite on every database: queries too deep, too wide, too aliased, lists too long,
 * statements too slow, and injection strings in every kind of argument and variable. Each
 * refusal is QUERY_TOO_COMPLEX or TIMEOUT and, where it can be, comes before any SQL runs.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class AttackTest {
    static final String SDL = """
            type State @model(table: "states") {
              id: Int! @id
              name: String! @column(length: 128)
              cities: [City!]! @hasMany(key: "stateId")
            }
            type City @model(table: "cities") {
              id: Int! @id
              name: String! @column(length: 128)
              stateId: Int!
              state: State! @belongsTo(key: "stateId")
            }
            extend type Query {
              slow: [JSON!]! @sql(statement: "Slow.count")
            }
            extend type Mutation {
              slowWrite: [JSON!]! @sql(statement: "Slow.count")
            }
            """;

    static final List<String> EVIL = List.of("'; DROP TABLE cities; --", "\" OR \"1\"=\"1", "1' OR '1'='1", "\\'; SELECT 1; --",
            "%_%", "$1 ${x} #{name}", "Robert'); DELETE FROM states WHERE ('1'='1", "\u0000nul", "ünï 東京 🚀");

    @Parameter
    TestDb db;
    Fixture f;

    @BeforeEach
    void load() {
        Models models = ModelParser.parse(List.of(new ModelParser.Source("attack.graphqls", SDL)));
        f = Fixture.on(db, models, Path.of("src/test/resources/slow"));
        f.sql("INSERT INTO states (id, name) VALUES (1, 'A'), (2, 'B')",
                "INSERT INTO cities (id, name, state_id) VALUES (1, 'a1', 1), (2, 'a2', 1), (3, 'a3', 1), (4, 'b1', 2), (5, 'b2', 2)").resetKeys();
    }

    @AfterEach
    void close() {
        f.close();
    }

    private static Config.Limits limits() {
        return Config.Limits.defaults();
    }

    /** Runs a query that must be refused with {@code code} before any SQL statement. */
    private void refusedBeforeSql(String code, String query) {
        List<String> sql = f.statements(() -> assertEquals(code, f.errorCode(query, Map.of())));
        assertEquals(List.of(), sql);
    }

    @Test
    void aQueryDeeperThanTheLimitIsRefusedBeforeSql() {
        StringBuilder q = new StringBuilder("{ states { ");
        for (int i = 0; i < 6; i++) {
            q.append("cities { state { ");
        }
        q.append("id").append(" } }".repeat(6)).append(" } }");   // states + 12 levels = depth 14
        refusedBeforeSql("QUERY_TOO_COMPLEX", q.toString());
        // the limit is a setting; at the default, 12 levels pass
        Config.Limits deep = limits();
        deep.maxDepth = 14;
        f.limits(deep);
        assertTrue(f.data(q.toString()).get("states").isArray());
        assertEquals("QUERY_TOO_COMPLEX", f.errorCode("{ states { cities { state { cities { state { cities { state { cities { state { "
                + "cities { state { cities { state { cities { state { id } } } } } } } } } } } } } } } }", Map.of()));
    }

    @Test
    void fragmentFanOutCountsEveryUseAndIsRefusedBeforeSql() {
        // fragments that each use the previous one 8 times: 8^4 = 4096 fields from a tiny document
        String doc = "query { states { ...F4 } }"
                + " fragment F0 on State { id }"
                + " fragment F1 on State { ...F0 ...F0 ...F0 ...F0 ...F0 ...F0 ...F0 ...F0 }"
                + " fragment F2 on State { ...F1 ...F1 ...F1 ...F1 ...F1 ...F1 ...F1 ...F1 }"
                + " fragment F3 on State { ...F2 ...F2 ...F2 ...F2 ...F2 ...F2 ...F2 ...F2 }"
                + " fragment F4 on State { ...F3 ...F3 ...F3 ...F3 ...F3 ...F3 ...F3 ...F3 }";
        refusedBeforeSql("QUERY_TOO_COMPLEX", doc);
        StringBuilder wide = new StringBuilder("{ ");
        for (int i = 0; i < 1001; i++) {
            wide.append("s").append(i).append(": __typename ");
        }
        refusedBeforeSql("QUERY_TOO_COMPLEX", wide.append("}").toString());
    }

    @Test
    void aDocumentOverTheParsersTokenGuardIsRefused() {
        refusedBeforeSql("QUERY_TOO_COMPLEX", "{ " + "__typename ".repeat(16000) + "}");
    }

    @Test
    void anAliasFloodIsRefusedBeforeSql() {
        StringBuilder q = new StringBuilder("{ ");
        for (int i = 0; i < 101; i++) {
            q.append("a").append(i).append(": statesAggregate { count } ");
        }
        refusedBeforeSql("QUERY_TOO_COMPLEX", q.append("}").toString());
        StringBuilder ok = new StringBuilder("{ ");
        for (int i = 0; i < 100; i++) {
            ok.append("a").append(i).append(": statesAggregate { count } ");
        }
        assertEquals(2, f.data(ok.append("}").toString()).get("a99").get("count").asInt());
    }

    @Test
    void tooManyOperationsInOneDocumentAreRefused() {
        StringBuilder doc = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            doc.append("query Q").append(i).append(" { statesAggregate { count } } ");
        }
        Map<String, Object> result = f.gateway.execute(new Gateway.Request(doc.toString(), Map.of(), "Q0"));
        assertEquals("QUERY_TOO_COMPLEX", codeOf(result));
    }

    @Test
    void aLimitAboveTheMaximumIsRefusedAndUnlimitedListsAreCapped() {
        refusedBeforeSql("QUERY_TOO_COMPLEX", "{ cities(limit: 10001) { id } }");
        Config.Limits small = limits();
        small.maxRows = 2;
        f.limits(small);
        refusedBeforeSql("QUERY_TOO_COMPLEX", "{ cities(limit: 3) { id } }");
        refusedBeforeSql("QUERY_TOO_COMPLEX", "{ states(limit: 1) { cities(limit: 3) { id } } }");
        List<String> none = f.statements(() -> assertEquals("QUERY_TOO_COMPLEX",
                f.errorCode("query($n: Int) { states { cities(limit: $n) { id } } }", Map.of("n", 3))));
        assertEquals(List.of(), none);
        List<String> sql = f.statements(() -> assertJson(
                "{\"cities\": [{\"id\": 1}, {\"id\": 2}], \"states\": [{\"cities\": [{\"id\": 1}, {\"id\": 2}]}, {\"cities\": [{\"id\": 4}, {\"id\": 5}]}]}",
                f.data("{ cities { id } states { cities { id } } }")));
        assertEquals(3, sql.size(), sql.toString());
        assertJson("{\"citiesAggregate\": {\"count\": 5}}", f.data("{ citiesAggregate { count } }"));   // aggregates are not lists
    }

    @Test
    void aSlowStatementIsCancelledWithTimeout() {
        Config.Limits quick = limits();
        quick.statementTimeoutSeconds = 1;
        f.limits(quick);
        long start = System.nanoTime();
        Map<String, Object> result = f.run("{ slow }");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals("TIMEOUT", codeOf(result), result.toString());
        assertTrue(ms < 8000, "cancelled after " + ms + " ms");
        assertFalse(result.toString().toLowerCase().contains("select"), result.toString());
        // the pool is healthy afterwards
        assertJson("{\"statesAggregate\": {\"count\": 2}}", f.data("{ statesAggregate { count } }"));
    }

    @Test
    void aMutationCancelledMidTransactionRollsBackAndAnswersTimeout() {
        Config.Limits quick = limits();
        quick.statementTimeoutSeconds = 1;
        f.limits(quick);
        Map<String, Object> result = f.run("mutation { createState(data: {name: \"Late\"}) { id } slowWrite }");
        assertEquals("TIMEOUT", codeOf(result), result.toString());
        assertTrue(result.containsKey("data") && result.get("data") == null, result.toString());
        assertJson("{\"statesAggregate\": {\"count\": 2}}", f.data("{ statesAggregate { count } }"));
    }

    @Test
    void aNulCharacterInAnyStringIsBadUserInputBeforeAnySql() {
        List<String> sql = f.statements(() -> {
            assertEquals("BAD_USER_INPUT", f.errorCode("mutation($n: String!) { createState(data: {name: $n}) { id } }", Map.of("n", "a\u0000b")));
            assertEquals("BAD_USER_INPUT", f.errorCode("mutation { createState(data: {name: \"a\\u0000b\"}) { id } }", Map.of()));
            assertEquals("BAD_USER_INPUT", f.errorCode("query($n: String!) { states(where: {name: {eq: $n}}) { id } }", Map.of("n", "\u0000")));
            assertEquals("BAD_USER_INPUT", f.errorCode("query($n: [String!]!) { states(where: {name: {in: $n}}) { id } }",
                    Map.of("n", List.of("A", "x\u0000"))));
            assertEquals("BAD_USER_INPUT", f.errorCode("mutation($n: String!) { updateStates(where: {id: {eq: 1}}, set: {name: $n}) { affectedRows } }",
                    Map.of("n", "\u0000")));
        });
        assertEquals(List.of(), sql, "refused before any SQL");
        assertJson("{\"statesAggregate\": {\"count\": 2}}", f.data("{ statesAggregate { count } }"));
    }

    @Test
    void injectionStringsInEveryArgumentAndVariableAreData() {
        for (String evil : EVIL) {
            String stored = evil.replace("\u0000", "");   // NUL is not storable in every database; it is the rest that must survive
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("name", stored);
            long id = f.data("mutation($name: String!) { createState(data: {name: $name}) { id } }", vars).at("/createState/id").asLong();
            // literal arguments, escaped for GraphQL, and variables, through every string operator
            String literal = Fixture.JSON.valueToTree(stored).toString();
            for (String op : List.of("like", "ilike", "notLike")) {   // patterns by design: they must run, not match exactly
                assertTrue(f.data("query($v: String!) { states(where: {name: {" + op + ": $v}}) { id } }", Map.of("v", stored))
                        .get("states").isArray());
                assertTrue(f.data("{ states(where: {name: {" + op + ": " + literal + "}}) { id } }").get("states").isArray());
            }
            for (String op : List.of("eq", "startsWith", "endsWith", "contains")) {
                assertEquals(id, f.data("{ states(where: {name: {" + op + ": " + literal + "}}) { id } }").at("/states/0/id").asLong(), op + " " + stored);
                assertEquals(id, f.data("query($v: String!) { states(where: {name: {" + op + ": $v}}) { id } }", Map.of("v", stored))
                        .at("/states/0/id").asLong(), op + " " + stored);
            }
            assertTrue(f.data("query($v: [String!]!) { states(where: {name: {in: $v}}) { id } }", Map.of("v", List.of(stored)))
                    .at("/states/0/id").isNumber());
            assertEquals(1, f.data("mutation($v: String!) { updateStates(where: {name: {eq: $v}}, set: {name: $v}) { affectedRows } }",
                    Map.of("v", stored)).at("/updateStates/affectedRows").asInt());
            Map<String, Object> badId = f.run("query($id: Int!) { state(id: $id) { id } }", Map.of("id", stored));
            assertEquals("BAD_USER_INPUT", codeOf(badId));
            assertEquals(stored, f.data("{ state(id: " + id + ") { name } }").at("/state/name").asText());
        }
        assertJson("{\"citiesAggregate\": {\"count\": 5}, \"statesAggregate\": {\"count\": " + (2 + EVIL.size()) + "}}",
                f.data("{ citiesAggregate { count } statesAggregate { count } }"));
        assertEquals("GRAPHQL_VALIDATION_FAILED", f.errorCode("{ states(orderBy: [{name: \"ASC; DROP TABLE states\"}]) { id } }", Map.of()));
    }

    @Test
    void introspectionCanBeSwitchedOff() {
        assertTrue(f.data("{ __schema { queryType { name } } }").at("/__schema/queryType/name").isTextual());
        Config.Limits closed = limits();
        closed.introspection = false;
        f.limits(closed);
        assertEquals("GRAPHQL_VALIDATION_FAILED", f.errorCode("{ __schema { types { name } } }", Map.of()));
        assertEquals("GRAPHQL_VALIDATION_FAILED", f.errorCode("{ __type(name: \"State\") { name } }", Map.of()));
        assertEquals("Query", f.data("{ __typename }").get("__typename").asText());
    }
}
