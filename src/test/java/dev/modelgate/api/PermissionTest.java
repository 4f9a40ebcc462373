package dev.modelgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.auth.Principal;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static dev.modelgate.support.Fixture.assertJson;
import static dev.modelgate.support.Fixture.codeOf;
import static dev.modelgate.support.Fixture.dataOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Row and column permissions (@allow) on every database: per operation and per path (direct,
 * by key, aggregate, relationship, relationship filter, nested write). A role never reads,
 * counts, changes or deletes a row outside its filter, and a denied write changes nothing.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
public class PermissionTest {
    public static final String SDL = """
            type Author @model(table: "authors")
              @allow(role: "anonymous", read: {})
              @allow(role: "user", read: {}, update: {id: {eq: "$session.userId"}}, fields: ["id", "name", "posts", "bio"]) {
              id: Int! @id
              name: String!
              email: String
              posts: [Post!]! @hasMany(key: "authorId")
              bio: Bio @hasOne(key: "authorId")
            }
            type Bio @model(table: "bios") @allow(role: "user", read: {}, create: {author: {id: {eq: "$session.userId"}}}) {
              id: Int! @id
              authorId: Int! @unique
              text: String
              author: Author! @belongsTo(key: "authorId")
            }
            type Post @model(table: "posts")
              @allow(role: "anonymous", read: {published: {eq: true}}, fields: ["id", "title", "published", "authorId", "author"])
              @allow(role: "user",
                     read:   {or: [{published: {eq: true}}, {authorId: {eq: "$session.userId"}}]},
                     create: {authorId: {eq: "$session.userId"}},
                     update: {authorId: {eq: "$session.userId"}},
                     delete: {and: [{authorId: {eq: "$session.userId"}}, {published: {eq: false}}]},
                     fields: ["id", "title", "body", "published", "authorId", "author", "tags", "likes"]) {
              id: Int! @id
              title: String!
              body: String
              published: Boolean! @default(value: "false")
              likes: Int! @default(value: "0")
              secret: String
              authorId: Int!
              author: Author! @belongsTo(key: "authorId")
              tags: [Tag!]! @manyToMany(table: "post_tags", key: "post_id", otherKey: "tag_id")
            }
            type Tag @model(table: "tags") @allow(role: "user", read: {name: {ne: "hidden"}}) {
              id: Int! @id
              name: String!
              posts: [Post!]! @manyToMany(table: "post_tags", key: "tag_id", otherKey: "post_id")
            }
            """;

    static final Principal ANON = Principal.anonymous();
    static final Principal ALICE = user("1");
    static final Principal BOB = user("2");

    @Parameter
    TestDb db;
    Fixture f;

    static Principal user(String id) {
        return new Principal("user", Map.of("role", "user", "userId", id));
    }

    @BeforeEach
    void load() {
        f = Fixture.on(db, SDL);
        f.sql("INSERT INTO authors (id, name, email) VALUES (1, 'Alice', 'a@x'), (2, 'Bob', 'b@x')",
                "INSERT INTO posts (id, title, body, published, likes, secret, author_id) VALUES "
                        + "(1, 'A public', 'ab', " + bool(true) + ", 1, 's1', 1), (2, 'A draft', 'ad', " + bool(false) + ", 2, 's2', 1), "
                        + "(3, 'B public', 'bb', " + bool(true) + ", 3, 's3', 2), (4, 'B draft', 'bd', " + bool(false) + ", 4, 's4', 2)",
                "INSERT INTO tags (id, name) VALUES (1, 'news'), (2, 'hidden')",
                "INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1), (1, 2), (4, 2)").resetKeys();
    }

    private String bool(boolean b) {
        return db == TestDb.POSTGRESQL || db == TestDb.H2 ? String.valueOf(b) : (b ? "1" : "0");
    }

    @AfterEach
    void close() {
        f.close();
    }

    private JsonNode as(Principal who, String query) {
        return dataOf(f.runAs(who, query, Map.of()));
    }

    private String denied(Principal who, String query) {
        return codeOf(f.runAs(who, query, Map.of()));
    }

    /** What the database holds, read as admin. */
    private JsonNode admin(String query) {
        return f.data(query);
    }

    @Test
    void readFiltersApplyToListsKeysAggregatesAndRelationships() {
        assertJson("{\"posts\": [{\"id\": 1}, {\"id\": 3}]}", as(ANON, "{ posts { id } }"));
        assertJson("{\"posts\": [{\"id\": 1}, {\"id\": 2}, {\"id\": 3}]}", as(ALICE, "{ posts { id } }"));
        assertJson("{\"post\": null}", as(ANON, "{ post(id: 2) { id } }"));
        assertJson("{\"post\": null}", as(BOB, "{ post(id: 2) { id } }"));
        assertJson("{\"post\": {\"title\": \"A draft\"}}", as(ALICE, "{ post(id: 2) { title } }"));
        assertJson("{\"postsAggregate\": {\"count\": 2, \"sum\": {\"id\": \"4\"}}}", as(ANON, "{ postsAggregate { count sum { id } } }"));
        assertJson("{\"postsAggregate\": {\"count\": 3}}", as(BOB, "{ postsAggregate { count } }"));
        // through a relationship, and its aggregate, one statement per level as always
        List<String> sql = f.statements(() -> assertJson("{\"authors\": ["
                        + "{\"name\": \"Alice\", \"posts\": [{\"id\": 1}], \"postsAggregate\": {\"count\": 1}},"
                        + " {\"name\": \"Bob\", \"posts\": [{\"id\": 3}], \"postsAggregate\": {\"count\": 1}}]}",
                as(ANON, "{ authors { name posts { id } postsAggregate { count } } }")));
        assertEquals(3, sql.size(), sql.toString());
        // a many-to-many level: Alice sees her draft's tags, but never the hidden tag
        assertJson("{\"posts\": [{\"id\": 1, \"tags\": [{\"name\": \"news\"}]}, {\"id\": 2, \"tags\": []}, {\"id\": 3, \"tags\": []}]}",
                as(ALICE, "{ posts { id tags { name } } }"));
    }

    @Test
    void aRelationshipFilterOnlyMatchesRowsTheRoleMayRead() {
        // Bob has a draft; anonymous may not see it, so "has a post titled B draft" matches no author
        assertJson("{\"authors\": []}", as(ANON, "{ authors(where: {posts: {title: {eq: \"B draft\"}}}) { name } }"));
        assertJson("{\"authorsAggregate\": {\"count\": 0}}", as(ANON, "{ authorsAggregate(where: {posts: {published: {eq: false}}}) { count } }"));
        assertJson("{\"authors\": [{\"name\": \"Bob\"}]}", as(BOB, "{ authors(where: {posts: {title: {eq: \"B draft\"}}}) { name } }"));
        assertJson("{\"posts\": []}", as(ALICE, "{ posts(where: {tags: {name: {eq: \"hidden\"}}}) { id } }"));
        assertJson("{\"posts\": [{\"id\": 1}, {\"id\": 4}]}", admin("{ posts(where: {tags: {name: {eq: \"hidden\"}}}) { id } }"));
    }

    @Test
    void fieldsOutsideTheAllowListAreAbsentFromTheRolesSchema() {
        assertEquals("GRAPHQL_VALIDATION_FAILED", denied(ANON, "{ posts { id body } }"));
        assertEquals("GRAPHQL_VALIDATION_FAILED", denied(ALICE, "{ posts { id secret } }"));
        assertEquals("GRAPHQL_VALIDATION_FAILED", denied(ALICE, "{ posts(where: {secret: {eq: \"s2\"}}) { id } }"));
        assertEquals("GRAPHQL_VALIDATION_FAILED", denied(ALICE, "{ posts(orderBy: [{secret: ASC}]) { id } }"));
        assertEquals("GRAPHQL_VALIDATION_FAILED", denied(ALICE, "{ postsAggregate { max { secret } } }"));
        assertEquals("GRAPHQL_VALIDATION_FAILED", denied(ALICE, "{ authors { email } }"));
        // a variable cannot smuggle a hidden input field in either
        assertEquals("BAD_USER_INPUT", codeOf(f.runAs(ALICE, "mutation($d: PostCreateInput!) { createPost(data: $d) { id } }",
                Map.of("d", Map.of("title", "t", "authorId", 1, "secret", "x")))));
        // anonymous may not read authors' relation to bios (Bio is not readable for it): the field is gone
        assertEquals("GRAPHQL_VALIDATION_FAILED", denied(ANON, "{ authors { bio { text } } }"));
        JsonNode type = as(ALICE, "{ __type(name: \"Post\") { fields { name } } }");
        List<String> names = type.at("/__type/fields").findValuesAsText("name");
        assertTrue(names.containsAll(List.of("id", "title", "body", "tags", "tagsAggregate")), names.toString());
        assertFalse(names.contains("secret"), names.toString());
        JsonNode where = as(ANON, "{ __type(name: \"PostWhere\") { inputFields { name } } }");
        assertFalse(where.at("/__type/inputFields").findValuesAsText("name").contains("body"));
        assertTrue(admin("{ __type(name: \"Post\") { fields { name } } }").at("/__type/fields").findValuesAsText("name").contains("secret"));
    }

    @Test
    void createMustSatisfyTheCreateFilterAndADeniedCreateChangesNothing() {
        assertJson("{\"createPost\": {\"id\": 5, \"authorId\": 1}}",
                as(ALICE, "mutation { createPost(data: {title: \"new\", authorId: 1}) { id authorId } }"));
        assertEquals("FORBIDDEN", denied(ALICE, "mutation { createPost(data: {title: \"forged\", authorId: 2}) { id } }"));
        // a later denied field rolls back an earlier allowed one
        assertEquals("FORBIDDEN", denied(ALICE, "mutation { a: createPost(data: {title: \"ok\", authorId: 1}) { id }"
                + " b: createPosts(data: [{title: \"ok2\", authorId: 1}, {title: \"forged\", authorId: 2}]) { id } }"));
        assertEquals("FORBIDDEN", denied(ANON, "mutation { createPost(data: {title: \"anon\", authorId: 1}) { id } }"));
        assertJson("{\"postsAggregate\": {\"count\": 5}}", admin("{ postsAggregate { count } }"));
    }

    @Test
    void updateOnlyTouchesRowsInsideTheFilterAndTheNewStateMustStayInside() {
        assertJson("{\"updatePost\": null}", as(ALICE, "mutation { updatePost(id: 3, set: {title: \"hijacked\"}) { id } }"));
        assertJson("{\"updatePosts\": {\"affectedRows\": 2}}",
                as(ALICE, "mutation { updatePosts(where: {}, inc: {likes: 10}) { affectedRows } }"));
        assertJson("{\"posts\": [{\"likes\": 11}, {\"likes\": 12}, {\"likes\": 3}, {\"likes\": 4}]}", admin("{ posts { likes } }"));
        assertJson("{\"post\": {\"title\": \"B public\"}}", admin("{ post(id: 3) { title } }"));
        // giving her own post away would put it outside her update filter: refused and rolled back
        assertEquals("FORBIDDEN", denied(ALICE, "mutation { updatePost(id: 1, set: {title: \"mine\", authorId: 2}) { id } }"));
        assertJson("{\"post\": {\"title\": \"A public\", \"authorId\": 1}}", admin("{ post(id: 1) { title authorId } }"));
        assertEquals("FORBIDDEN", denied(ANON, "mutation { updatePosts(where: {}, set: {title: \"x\"}) { affectedRows } }"));
        // upsert over someone else's row is refused, not an update of it
        assertEquals("FORBIDDEN", denied(ALICE, "mutation { upsertPost(data: {id: 3, title: \"taken\", authorId: 1}) { id } }"));
        assertJson("{\"post\": {\"title\": \"B public\", \"authorId\": 2}}", admin("{ post(id: 3) { title authorId } }"));
        assertJson("{\"upsertPost\": {\"title\": \"A again\"}}",
                as(ALICE, "mutation { upsertPost(data: {id: 1, title: \"A again\", authorId: 1}) { title } }"));
    }

    @Test
    void deleteOnlyRemovesRowsInsideTheFilter() {
        assertJson("{\"deletePost\": null}", as(ALICE, "mutation { deletePost(id: 1) { id } }"));   // published: outside
        assertJson("{\"deletePost\": null}", as(ALICE, "mutation { deletePost(id: 4) { id } }"));   // Bob's
        assertJson("{\"deletePosts\": {\"affectedRows\": 1, \"returning\": [{\"id\": 2}]}}",
                as(ALICE, "mutation { deletePosts(where: {}) { affectedRows returning { id } } }"));
        assertJson("{\"posts\": [{\"id\": 1}, {\"id\": 3}, {\"id\": 4}]}", admin("{ posts { id } }"));
        assertEquals("FORBIDDEN", denied(ANON, "mutation { deletePost(id: 3) { id } }"));
        assertEquals("FORBIDDEN", denied(ALICE, "mutation { deleteTag(id: 1) { id } }"));
    }

    @Test
    void nestedWritesNeedPermissionOnEveryModelTheyTouch() {
        // Alice may update her author row but not create bios for others, nor link tags she cannot see
        assertEquals("FORBIDDEN", denied(ALICE, "mutation { createPost(data: {title: \"t\", authorId: 1, tags: {connect: [2]}}) { id } }"));
        assertEquals("FORBIDDEN", denied(ALICE, "mutation { createPost(data: {title: \"t\", authorId: 1, tags: {create: [{name: \"x\"}]}}) { id } }"));
        assertEquals("FORBIDDEN", denied(ALICE, "mutation { updatePost(id: 2, set: {tags: {connect: [2]}}) { id } }"));
        assertJson("{\"createPost\": {\"tags\": [{\"name\": \"news\"}]}}",
                as(ALICE, "mutation { createPost(data: {title: \"t\", authorId: 1, tags: {connect: [1]}}) { tags { name } } }"));
        assertJson("{\"tagsAggregate\": {\"count\": 2}, \"postsAggregate\": {\"count\": 5}}", admin("{ tagsAggregate { count } postsAggregate { count } }"));
        assertJson("{\"bio\": null}", admin("{ bio(id: 1) { id } }"));
        assertEquals("FORBIDDEN", denied(BOB, "mutation { createBio(data: {authorId: 1, text: \"not mine\"}) { id } }"));
        assertJson("{\"createBio\": {\"authorId\": 2}}", as(BOB, "mutation { createBio(data: {authorId: 2, text: \"mine\"}) { authorId } }"));
    }

    @Test
    void aRoleWithoutRulesAndAMissingSessionVariableAreDenied() {
        Principal editor = new Principal("editor", Map.of("role", "editor", "userId", "1"));
        assertEquals("FORBIDDEN", denied(editor, "{ posts { id } }"));
        assertEquals("FORBIDDEN", denied(editor, "{ postsAggregate { count } }"));
        Principal noId = new Principal("user", Map.of("role", "user"));
        assertEquals("FORBIDDEN", denied(noId, "{ posts { id } }"));
        Principal badId = user("1 OR 1=1");
        assertEquals("FORBIDDEN", denied(badId, "{ posts { id } }"));
        assertNull(f.runAs(Principal.admin(), "{ posts { secret } }", Map.of()).get("errors"));
        assertJson("{\"postsAggregate\": {\"count\": 4}}", dataOf(f.runAs(Principal.admin(), "{ postsAggregate { count } }", Map.of())));
    }
}
