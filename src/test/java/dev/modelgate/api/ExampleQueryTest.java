package dev.modelgate.api;

import dev.modelgate.auth.Principal;
import dev.modelgate.support.Fixture;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The explorer's first query is one the visitor can run: it validates and answers in the schema an anonymous role sees. */
class ExampleQueryTest {
    @Test
    void theExampleRunsAsAnonymousAndLeavesOutWhatTheRoleCannotSee() {
        try (Fixture f = Fixture.sqlite("""
                type Secret @model(table: "secrets") { id: Int! @id  code: String! }
                type Author @model(table: "authors") @allow(role: "anonymous", read: {}, fields: ["id", "name", "posts"]) {
                  id: Int! @id
                  name: String!
                  email: String
                  posts: [Post!]! @hasMany(key: "authorId")
                }
                type Post @model(table: "posts") @allow(role: "anonymous", read: {}) {
                  id: Int! @id
                  title: String!
                  authorId: Int!
                  author: Author! @belongsTo(key: "authorId")
                }
                """)) {
            f.sql("INSERT INTO authors (id, name, email) VALUES (1, 'Ann', 'ann@example.com')", "INSERT INTO posts (id, title, author_id) VALUES (1, 'Hi', 1)");
            String example = f.gateway.exampleQuery();
            assertFalse(example.contains("secrets") || example.contains("email"), example);
            Map<String, Object> result = f.runAs(Principal.anonymous(), example, Map.of());
            assertNull(result.get("errors"), example + "\n" + result);
            assertTrue(String.valueOf(result.get("data")).contains("Ann"), String.valueOf(result));
        }
    }
}
