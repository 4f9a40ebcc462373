package dev.modelgate.api;

import dev.modelgate.support.Fixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client reads when it gets a name or a value wrong: the argument, the type and the value in
 * GraphQL terms, the closest valid name, never graphql-java's AST dump; and a stored value the
 * field cannot carry fails that field only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorMessageTest {
    private Fixture f;

    @BeforeAll
    void start() {
        f = Fixture.sqlite("""
                enum Role { ADMIN EDITOR VIEWER }
                type User @model(table: "users") {
                  id: Int! @id
                  username: String! @unique
                  role: Role
                  visits: Int
                }
                """);
        f.sql("INSERT INTO users (username, role, visits) VALUES ('ann', 'ADMIN', 1), ('bo', 'VIEWER', 2), ('cy', 'EDITOR', 3)");
    }

    @AfterAll
    void stop() {
        f.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstError(Map<String, Object> result) {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) result.get("errors");
        assertTrue(errors != null && !errors.isEmpty(), "an error: " + result);
        return errors.get(0);
    }

    private String message(String query) {
        return message(query, Map.of());
    }

    private String message(String query, Map<String, Object> variables) {
        String m = String.valueOf(firstError(f.run(query, variables)).get("message"));
        assertFalse(m.contains("Value{") || m.contains("ObjectField") || m.contains("EnumValue"), "no AST dump: " + m);
        return m;
    }

    @Test
    void aMisspelledOperatorNamesTheInputTypeAndTheClosestOperator() {
        assertEquals("Argument \"where.username\": field \"eqq\" is not defined by input type \"StringFilter\". Did you mean \"eq\"?",
                message("{ users(where: {username: {eqq: \"ann\"}}) { id } }"));
        assertEquals("Argument \"where\": field \"usrname\" is not defined by input type \"UserWhere\". Did you mean \"username\"?",
                message("{ users(where: {usrname: {eq: \"ann\"}}) { id } }"));
    }

    @Test
    void aMisspelledEnumValueNamesTheEnumAndTheClosestValue() {
        assertEquals("Argument \"where.role.eq\": value ADMN does not exist in enum \"Role\". Did you mean \"ADMIN\"?",
                message("{ users(where: {role: {eq: ADMN}}) { id } }"));
        assertEquals("Argument \"orderBy[0].username\": value ASCC does not exist in enum \"SortOrder\". Did you mean \"ASC\"?",
                message("{ users(orderBy: [{username: ASCC}]) { id } }"));
    }

    @Test
    void theSameMistakesInVariablesGetTheSameHelp() {
        String m = message("query($r: Role) { users(where: {role: {eq: $r}}) { id } }", Map.of("r", "ADMN"));
        assertTrue(m.contains("value \"ADMN\" does not exist in enum \"Role\". Did you mean \"ADMIN\"?"), m);
        m = message("query($w: UserWhere) { users(where: $w) { id } }", Map.of("w", Map.of("username", Map.of("eqq", "ann"))));
        assertEquals("Variables: field \"eqq\" is not defined by input type \"StringFilter\". Did you mean \"eq\"?", m);
    }

    @Test
    void aMisspelledFieldAndAWrongValueTypeAreSaidPlainly() {
        assertEquals("Cannot query field \"usernme\" on type \"User\". Did you mean \"username\"?", message("{ users { usernme } }"));
        assertEquals("Argument \"limit\": \"ten\" is not a valid Int.", message("{ users(limit: \"ten\") { id } }"));
        assertEquals("Argument \"data\" is missing required field(s) \"username\".", message("mutation { createUser(data: {visits: 1}) { id } }"));
    }

    @Test
    void aSingleCreatesErrorPathHasNoListIndex() {
        String m = message("mutation { createUser(data: {username: \"" + "x".repeat(300) + "\"}) { id } }");
        assertTrue(m.contains("data.username") && !m.contains("data[0]"), m);
        String many = message("mutation { createUsers(data: [{username: \"ok\"}, {username: \"" + "x".repeat(300) + "\"}]) { id } }");
        assertTrue(many.contains("data[1].username"), many);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStoredValueBeyondItsFieldFailsThatFieldAndTheRestIsServed() {
        f.sql("UPDATE users SET visits = 9007199254740993 WHERE username = 'bo'");
        try {
            Map<String, Object> result = f.run("{ users(orderBy: [{id: ASC}]) { username visits } }");
            Map<String, Object> error = firstError(result);
            assertEquals(List.of("users", 1, "visits"), error.get("path"));
            assertEquals("INTERNAL_SERVER_ERROR", ((Map<String, Object>) error.get("extensions")).get("code"));
            assertTrue(String.valueOf(error.get("message")).contains("User.visits")
                    && String.valueOf(error.get("message")).contains("declare the field Long"), String.valueOf(error.get("message")));
            var users = Fixture.JSON.valueToTree(result.get("data")).get("users");
            assertEquals(3, users.size(), "the rest of the list is served: " + result);
            assertEquals("bo", users.get(1).get("username").asText());
            assertTrue(users.get(1).get("visits").isNull());
            assertEquals(3, users.get(2).get("visits").asInt());
        } finally {
            f.sql("UPDATE users SET visits = 2 WHERE username = 'bo'");
        }
        assertNull(f.run("{ users { visits } }").get("errors"));
    }
}
