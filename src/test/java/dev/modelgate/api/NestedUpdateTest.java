package dev.modelgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.auth.Principal;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nested updates through every kind of relation, on every database: trees three levels deep
 * in one operation, a statement count that does not grow with the rows matched (one statement
 * per table and step), every step within the updated rows' own children and under the role's
 * permission for the model it touches, and a step that violates a constraint or a permission
 * rolling the whole operation back (the database compared before and after).
 */
class NestedUpdateTest {
    static final String SDL = """
            type Author @model(table: "authors") @allow(role: "editor", read: {}, update: {})
              @allow(role: "clerk", read: {}, update: {}) {
              id: Int! @id
              name: String!
              books: [Book!]! @hasMany(key: "authorId")
              profile: Profile @hasOne(key: "authorId")
            }
            type Book @model(table: "books") @allow(role: "editor", read: {}, create: {}, update: {published: {eq: false}}, delete: {})
              @allow(role: "clerk", read: {}, update: {}) {
              id: Int! @id
              title: String!
              isbn: String @unique
              published: Boolean! @default(value: "false")
              authorId: Int
              author: Author @belongsTo(key: "authorId")
              chapters: [Chapter!]! @hasMany(key: "bookId")
              tags: [Tag!]! @manyToMany(table: "book_tags", key: "book_id", otherKey: "tag_id")
            }
            type Chapter @model(table: "chapters") @allow(role: "editor", read: {}, create: {}, update: {}, delete: {})
              @allow(role: "clerk", read: {}) {
              id: Int! @id
              title: String!
              pages: Int! @default(value: "1")
              bookId: Int!
              book: Book! @belongsTo(key: "bookId")
            }
            type Profile @model(table: "profiles") @allow(role: "editor", read: {}, create: {}, update: {}, delete: {}) {
              id: Int! @id
              bio: String
              authorId: Int! @unique
              author: Author! @belongsTo(key: "authorId")
            }
            type Tag @model(table: "tags") @allow(role: "editor", read: {}, create: {}) {
              id: Int! @id
              label: String!
              books: [Book!]! @manyToMany(table: "book_tags", key: "tag_id", otherKey: "book_id")
            }
            """;

    static Fixture library(TestDb db) {
        Fixture f = Fixture.on(db, SDL);
        String no = db == TestDb.SQLITE ? "0" : "FALSE";
        String yes = db == TestDb.SQLITE ? "1" : "TRUE";
        f.sql("INSERT INTO authors (id, name) VALUES (1, 'Ann'), (2, 'Bob'), (3, 'Cy')",
                "INSERT INTO books (id, title, isbn, published, author_id) VALUES (1, 'A', 'i1', " + no + ", 1), (2, 'B', 'i2', " + yes + ", 1),"
                        + " (3, 'C', 'i3', " + no + ", 2), (4, 'D', 'i4', " + no + ", 3), (5, 'E', NULL, " + no + ", NULL)",
                "INSERT INTO chapters (id, title, pages, book_id) VALUES (1, 'old', 5, 1), (2, 'keep', 6, 1), (3, 'old', 7, 3), (4, 'x', 1, 4)",
                "INSERT INTO profiles (id, bio, author_id) VALUES (1, 'hi', 1)",
                "INSERT INTO tags (id, label) VALUES (1, 'sf'), (2, 'fantasy'), (3, 'classic')",
                "INSERT INTO book_tags (book_id, tag_id) VALUES (1, 1), (1, 2), (3, 1)");
        return f.resetKeys();
    }

    /** The whole database as text, to compare before and after an operation that must change nothing. */
    static String dump(Fixture f) {
        StringBuilder out = new StringBuilder();
        for (String q : List.of("SELECT id, name FROM authors ORDER BY id", "SELECT id, title, isbn, published, author_id FROM books ORDER BY id",
                "SELECT id, title, pages, book_id FROM chapters ORDER BY id", "SELECT id, bio, author_id FROM profiles ORDER BY id",
                "SELECT id, label FROM tags ORDER BY id", "SELECT book_id, tag_id FROM book_tags ORDER BY book_id, tag_id")) {
            out.append(f.query(q)).append('\n');
        }
        return out.toString().replace("true", "1").replace("false", "0");
    }

    static final String THREE_LEVELS = """
            mutation($where: AuthorWhere!) {
              updateAuthors(where: $where, set: {
                name: "Renamed",
                books: {
                  update: [{where: {title: {in: ["A", "C", "D"]}}, set: {title: "Edited", chapters: {
                    delete: {title: {eq: "old"}},
                    update: [{where: {}, set: {pages: 10}}],
                    create: [{title: "added"}]
                  }}}],
                  create: [{title: "New", chapters: [{title: "first"}, {title: "second"}]}]
                }
              }) { affectedRows returning { id name books { title chapters { title pages } } } }
            }""";

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aTreeThreeLevelsDeepIsOneOperationWithStatementsPerStepNotPerRow(TestDb db) {
        int one;
        try (Fixture f = library(db)) {
            JsonNode[] r = new JsonNode[1];
            List<String> statements = f.statements(() -> r[0] = f.data(THREE_LEVELS, Map.of("where", Map.of("id", Map.of("eq", 1)))));
            one = statements.size();
            System.out.printf("nested update three levels deep on %s: %d statements%n  %s%n", db, one, String.join("\n  ", statements));
            JsonNode ann = r[0].get("updateAuthors").get("returning").get(0);
            assertEquals("Renamed", ann.get("name").asText());
            Fixture.assertJson("""
                    [{"title": "Edited", "chapters": [{"title": "keep", "pages": 10}, {"title": "added", "pages": 1}]},
                     {"title": "B", "chapters": []},
                     {"title": "New", "chapters": [{"title": "first", "pages": 1}, {"title": "second", "pages": 1}]}]""", ann.get("books"));
            // nothing outside Ann's own books changed
            assertEquals("[{title=C}, {title=D}]", f.query("SELECT title FROM books WHERE id IN (3, 4) ORDER BY id").toString());
            assertEquals(2, f.number("SELECT COUNT(*) FROM chapters WHERE book_id IN (3, 4)"));
        }
        try (Fixture f = library(db)) {
            JsonNode[] r = new JsonNode[1];
            List<String> statements = f.statements(() -> r[0] = f.data(THREE_LEVELS, Map.of("where", Map.of())));
            assertEquals(one, statements.size(), "three authors take the statements one does: " + statements);
            assertEquals(3, r[0].get("updateAuthors").get("affectedRows").asInt());
            for (JsonNode a : r[0].get("updateAuthors").get("returning")) {
                long news = 0;
                for (JsonNode b : a.get("books")) {
                    news += b.get("title").asText().equals("New") ? 1 : 0;
                    if (b.get("title").asText().equals("Edited")) {
                        b.get("chapters").forEach(c -> assertTrue(!c.get("title").asText().equals("old") && (c.get("pages").asInt() == 10
                                || c.get("title").asText().equals("added"))));
                    }
                }
                assertEquals(1, news, "every author got its own new book: " + a);
            }
            assertEquals(0, f.number("SELECT COUNT(*) FROM chapters WHERE title = 'old'"));
            assertEquals(3, f.number("SELECT COUNT(*) FROM chapters WHERE title = 'added'"));
            assertEquals(6, f.number("SELECT COUNT(*) FROM chapters WHERE title IN ('first', 'second')"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void everyRelationKindUpdates(TestDb db) {
        try (Fixture f = library(db)) {
            // has-one: update, then delete, then create
            f.data("mutation { updateAuthor(id: 1, set: {profile: {update: {bio: \"new bio\"}}}) { id } }");
            assertEquals("new bio", f.query("SELECT bio FROM profiles WHERE author_id = 1").get(0).get("bio"));
            f.data("mutation { updateAuthor(id: 1, set: {profile: {delete: true}}) { id } }");
            assertEquals(0, f.number("SELECT COUNT(*) FROM profiles"));
            JsonNode created = f.data("mutation { updateAuthor(id: 2, set: {profile: {create: {bio: \"made\"}}}) { profile { bio author { name } } } }");
            Fixture.assertJson("{\"bio\": \"made\", \"author\": {\"name\": \"Bob\"}}", created.get("updateAuthor").get("profile"));
            // has-many: connect moves a book here, disconnect unsets the key (nullable), both only among the right rows
            f.data("mutation { updateAuthor(id: 2, set: {books: {connect: [4, 5], disconnect: [3, 1]}}) { id } }");
            assertEquals("[{id=1, author_id=1}, {id=3, author_id=null}, {id=4, author_id=2}, {id=5, author_id=2}]",
                    f.query("SELECT id, author_id FROM books WHERE id IN (1, 3, 4, 5) ORDER BY id").toString().replace("author_id=2", "author_id=2"),
                    "book 1 is Ann's, so Bob's disconnect leaves it");
            // belongs-to: connect, and create
            f.data("mutation { updateBook(id: 3, set: {author: {connect: 3}}) { id } }");
            assertEquals(3, f.number("SELECT author_id FROM books WHERE id = 3"));
            JsonNode made = f.data("mutation { updateBook(id: 3, set: {author: {create: {name: \"Dee\"}}}) { author { name } } }");
            assertEquals("Dee", made.get("updateBook").get("author").get("name").asText());
            // many-to-many: connect, disconnect, create, then set replaces them all
            f.data("mutation { updateBook(id: 1, set: {tags: {connect: [3], disconnect: [1], create: [{label: \"new\"}]}}) { id } }");
            assertEquals("[{label=classic}, {label=fantasy}, {label=new}]",
                    f.query("SELECT t.label FROM book_tags bt JOIN tags t ON t.id = bt.tag_id WHERE bt.book_id = 1 ORDER BY t.label").toString());
            f.data("mutation { updateBook(id: 1, set: {tags: {set: [1]}}) { id } }");
            assertEquals("[{tag_id=1}]", f.query("SELECT tag_id FROM book_tags WHERE book_id = 1").toString());
            // a step that matches nothing is not an error
            f.data("mutation { updateAuthor(id: 3, set: {books: {update: [{where: {title: {eq: \"none\"}}, set: {title: \"x\"}}], delete: {title: {eq: \"none\"}}}}) { id } }");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aNestedStepThatFailsRollsEverythingBack(TestDb db) {
        try (Fixture f = library(db)) {
            String before = dump(f);
            // a constraint: the new book takes an ISBN another book has, after the author and a chapter changed
            Map<String, Object> r = f.run("mutation { updateAuthor(id: 1, set: {name: \"Gone\", books: {update: [{where: {id: {eq: 1}},"
                    + " set: {chapters: {delete: {}}}}], create: [{title: \"Dup\", isbn: \"i3\"}]}}) { id } }");
            assertEquals("CONSTRAINT_VIOLATION", Fixture.codeOf(r));
            assertEquals(before, dump(f));
            Principal editor = new Principal("editor", Map.of("role", "editor"));
            // a permission checked on the rows written: the editor may update only unpublished books, and this publishes one
            r = f.runAs(editor, "mutation { updateAuthor(id: 1, set: {name: \"Gone\", books: {update: [{where: {id: {eq: 1}},"
                    + " set: {published: true, chapters: {create: [{title: \"c\"}]}}}]}}) { id } }", Map.of());
            assertEquals("FORBIDDEN", Fixture.codeOf(r));
            assertEquals(before, dump(f));
            // a permission on the operation: the clerk may not create chapters, so nothing runs at all
            Principal clerk = new Principal("clerk", Map.of("role", "clerk"));
            List<String> statements = f.statements(() -> assertEquals("FORBIDDEN", Fixture.codeOf(f.runAs(clerk,
                    "mutation { updateAuthor(id: 1, set: {name: \"Gone\", books: {update: [{where: {}, set: {chapters: {create: [{title: \"c\"}]}}}]}}) { id } }",
                    Map.of()))));
            assertTrue(statements.stream().noneMatch(s -> s.startsWith("UPDATE") || s.startsWith("INSERT")), statements.toString());
            assertEquals(before, dump(f));
            // the editor's update filter scopes a nested update: the published book B is not among the rows it changes
            f.runAs(editor, "mutation { updateAuthor(id: 1, set: {books: {update: [{where: {}, set: {title: \"T\"}}]}}) { id } }", Map.of());
            assertEquals("[{title=T}, {title=B}]", f.query("SELECT title FROM books WHERE id IN (1, 2) ORDER BY id").toString());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = "SQLITE")
    void mistakesAreClearErrors(TestDb db) {
        try (Fixture f = library(db)) {
            Map<String, String> cases = Map.of(
                    "mutation { updateBook(id: 1, set: {authorId: 2, author: {connect: 3}}) { id } }", "both set the same key",
                    "mutation { updateBook(id: 1, set: {author: {connect: 3, create: {name: \"x\"}}}) { id } }", "connect or create",
                    "mutation { updateBook(id: 1, set: {tags: {connect: [1], set: [2]}}) { id } }", "set or connect",
                    "mutation { updateAuthors(where: {}, set: {books: {connect: [5]}}) { affectedRows } }", "connect moves rows under one Author",
                    "mutation { upsertBook(data: {id: 1, title: \"A\"}, update: {tags: {connect: [1]}}) { id } }", "upsert takes the model's own fields");
            cases.forEach((q, says) -> {
                Map<String, Object> r = f.run(q);
                assertEquals("BAD_USER_INPUT", Fixture.codeOf(r), q);
                assertTrue(r.get("errors").toString().contains(says), q + " → " + r.get("errors"));
            });
            // a NOT NULL key cannot be disconnected: the input has no disconnect there
            assertEquals("GRAPHQL_VALIDATION_FAILED", f.errorCode("mutation { updateBook(id: 1, set: {chapters: {disconnect: [1]}}) { id } }", Map.of()));
        }
    }
}
