package dev.modelgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Composite primary keys (docs/databases.md) on every database: lookups and mutations take one
 * argument per key field, relationships to and from a composite key (belongs-to, has-many,
 * many-to-many with a composite key on one side, a join table with a payload that is also a
 * model) load one statement per level, and every answer is checked against direct SQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompositeKeyTest {
    static final String SDL = """
            type Actor @model {
              id: Int! @id
              name: String!
              filmActors: [FilmActor!]! @hasMany(key: "actorId")
              films: [Film!]! @manyToMany(table: "film_actors", key: "actor_id", otherKey: "film_id")
            }
            type Film @model {
              id: Int! @id
              title: String!
              filmActors: [FilmActor!]! @hasMany(key: "filmId")
              actors: [Actor!]! @manyToMany(table: "film_actors", key: "film_id", otherKey: "actor_id")
            }
            "A join table with a payload: a model with a key of two fields"
            type FilmActor @model(table: "film_actors") {
              actorId: Int! @id
              filmId: Int! @id
              role: String
              actor: Actor! @belongsTo(key: "actorId")
              film: Film! @belongsTo(key: "filmId")
              notes: [Note!]! @hasMany(key: ["actorId", "filmId"])
              tags: [Tag!]! @manyToMany(table: "film_actor_tags", key: ["actor_id", "film_id"], otherKey: "tag_id")
            }
            type Note @model {
              id: Int! @id
              text: String!
              actorId: Int!
              filmId: Int!
              filmActor: FilmActor! @belongsTo(key: ["actorId", "filmId"])
            }
            type Tag @model {
              id: Int! @id
              label: String!
              filmActors: [FilmActor!]! @manyToMany(table: "film_actor_tags", key: "tag_id", otherKey: ["actor_id", "film_id"])
            }
            """;

    final Map<TestDb, Fixture> fixtures = new EnumMap<>(TestDb.class);

    Fixture f(TestDb db) {
        return fixtures.computeIfAbsent(db, k -> Fixture.on(k, SDL).sql(
                "INSERT INTO actors (id, name) VALUES (1, 'Ann'), (2, 'Bob'), (3, 'Cy')",
                "INSERT INTO films (id, title) VALUES (10, 'Alpha'), (20, 'Beta'), (30, 'Gamma')",
                "INSERT INTO film_actors (actor_id, film_id, role) VALUES (1, 10, 'lead'), (1, 20, 'cameo'), (2, 10, 'villain'), (3, 30, 'lead')",
                "INSERT INTO notes (id, text, actor_id, film_id) VALUES (1, 'n1', 1, 10), (2, 'n2', 1, 10), (3, 'n3', 2, 10), (4, 'n4', 3, 30)",
                "INSERT INTO tags (id, label) VALUES (1, 'star'), (2, 'funny')",
                "INSERT INTO film_actor_tags (tag_id, actor_id, film_id) VALUES (1, 1, 10), (2, 1, 10), (2, 2, 10)").resetKeys());
    }

    @AfterAll
    void close() {
        fixtures.values().forEach(Fixture::close);
    }

    static JsonNode expectStatements(Fixture f, int expected, String query) {
        JsonNode[] data = new JsonNode[1];
        List<String> sql = f.statements(() -> data[0] = f.data(query));
        assertEquals(expected, sql.size(), () -> String.join("\n", sql));
        return data[0];
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aLookupTakesEveryKeyField(TestDb db) {
        Fixture f = f(db);
        JsonNode fa = f.data("{ filmActor(actorId: 1, filmId: 20) { role actor { name } film { title } } }").get("filmActor");
        String role = (String) f.query("SELECT role FROM film_actors WHERE actor_id = 1 AND film_id = 20").get(0).get("role");
        assertEquals(role, fa.get("role").asText());
        assertEquals("Ann", fa.get("actor").get("name").asText());
        assertEquals("Beta", fa.get("film").get("title").asText());
        assertTrue(f.data("{ filmActor(actorId: 2, filmId: 20) { role } }").get("filmActor").isNull(), "no such pair");
        assertEquals("GRAPHQL_VALIDATION_FAILED", f.errorCode("{ filmActor(actorId: 1) { role } }", Map.of()), "every key field is required");
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void relationshipsThroughACompositeKeyAreOneStatementPerLevel(TestDb db) {
        Fixture f = f(db);
        // the root, the notes of every pair, their counts, and the pair of every note: four statements
        JsonNode pairs = expectStatements(f, 4,
                "{ filmActors(orderBy: [{actorId: ASC}, {filmId: ASC}]) { actorId filmId notes(orderBy: [{id: ASC}]) { text filmActor { role } } "
                        + "notesAggregate { count } } }").get("filmActors");
        List<Map<String, Object>> rows = f.query("SELECT actor_id, film_id, role FROM film_actors ORDER BY actor_id, film_id");
        assertEquals(rows.size(), pairs.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode p = pairs.get(i);
            Map<String, Object> row = rows.get(i);
            assertEquals(((Number) row.get("actor_id")).intValue(), p.get("actorId").asInt());
            assertEquals(((Number) row.get("film_id")).intValue(), p.get("filmId").asInt());
            List<Map<String, Object>> notes = f.query("SELECT text FROM notes WHERE actor_id = " + row.get("actor_id")
                    + " AND film_id = " + row.get("film_id") + " ORDER BY id");
            assertEquals(notes.size(), p.get("notes").size(), p.toString());
            assertEquals(notes.size(), p.get("notesAggregate").get("count").asInt());
            for (int j = 0; j < notes.size(); j++) {
                assertEquals(notes.get(j).get("text"), p.get("notes").get(j).get("text").asText());
                assertEquals(String.valueOf(row.get("role")), p.get("notes").get(j).get("filmActor").get("role").asText());
            }
        }
        JsonNode limited = expectStatements(f, 2, "{ filmActors { notes(limit: 1, orderBy: [{id: DESC}]) { id } } }").get("filmActors");
        long withNotes = f.number("SELECT COUNT(DISTINCT actor_id * 1000 + film_id) FROM notes");
        assertEquals(withNotes, java.util.stream.StreamSupport.stream(limited.spliterator(), false).filter(p -> p.get("notes").size() == 1).count());
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void manyToManyWithACompositeKeyOnEitherSide(TestDb db) {
        Fixture f = f(db);
        JsonNode tags = expectStatements(f, 3, "{ tags(orderBy: [{id: ASC}]) { label filmActors(orderBy: [{actorId: ASC}]) { role actor { name } } } }")
                .get("tags");
        for (JsonNode t : tags) {
            long links = f.number("SELECT COUNT(*) FROM film_actor_tags k JOIN tags t ON t.id = k.tag_id WHERE t.label = '"
                    + t.get("label").asText() + "'");
            assertEquals(links, t.get("filmActors").size(), t.toString());
        }
        JsonNode back = expectStatements(f, 2, "{ filmActors { actorId filmId tags { label } } }").get("filmActors");
        for (JsonNode p : back) {
            long links = f.number("SELECT COUNT(*) FROM film_actor_tags WHERE actor_id = " + p.get("actorId") + " AND film_id = " + p.get("filmId"));
            assertEquals(links, p.get("tags").size(), p.toString());
        }
        JsonNode films = expectStatements(f, 2, "{ actors(orderBy: [{id: ASC}]) { films(orderBy: [{id: ASC}]) { title } } }").get("actors");
        assertEquals(f.number("SELECT COUNT(*) FROM film_actors WHERE actor_id = 1"), films.get(0).get("films").size());
    }

    /**
     * A batch matched by a composite key reads by index on every database: the notes of many
     * pairs (the foreign key's index), the pairs of many notes (the primary key), over enough
     * rows that a scan would show (PostgreSQL's plan is taken with sequential scans off, as its
     * planner rightly prefers them on small tables).
     */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aCompositeKeyBatchReadsByIndex(TestDb db) throws Exception {
        try (Fixture f = Fixture.on(db, SDL)) {
            String numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) ";
            f.sql(db == TestDb.MARIADB ? "SET SESSION max_recursive_iterations = 100000" : "SELECT 1",
                    "INSERT INTO actors (id, name) " + numbers.formatted(200) + "SELECT i, 'a' FROM n",
                    "INSERT INTO films (id, title) " + numbers.formatted(100) + "SELECT i, 'f' FROM n",
                    "INSERT INTO film_actors (actor_id, film_id, role) SELECT a.id, f.id, 'r' FROM actors a CROSS JOIN films f WHERE MOD(f.id, 4) = 1",
                    "INSERT INTO notes (id, text, actor_id, film_id) " + numbers.formatted(10000)
                            + "SELECT i, 'n', MOD(i - 1, 200) + 1, MOD(i - 1, 25) * 4 + 1 FROM n");
            f.sql(switch (db) {
                case MARIADB -> "ANALYZE TABLE notes, film_actors";
                case POSTGRESQL -> "ANALYZE";
                case SQLITE -> "ANALYZE";
                case H2 -> "SELECT 1";
            });
            List<Object> pairs = List.of(List.of(1, 1), List.of(2, 5), List.of(3, 9), List.of(7, 13), List.of(9, 17));
            for (dev.modelgate.support.Explain.Statement st : dev.modelgate.support.Explain.operation(db, f,
                    "{ filmActors(limit: 5) { notes { text filmActor { role } } } }", Map.of(), pairs)) {
                if (st.root()) {
                    continue;
                }
                String plan = db == TestDb.POSTGRESQL ? dev.modelgate.support.Explain.planWithoutSeqScan(f, st.sql()) : st.plan();
                System.out.printf("EXPLAIN composite on %s %s: %s%n", db, st.field(), plan);
                switch (db) {
                    case MARIADB -> assertFalse(plan.contains("type=ALL"), plan);
                    case POSTGRESQL -> assertFalse(plan.contains("Seq Scan"), plan);
                    case SQLITE -> assertTrue(plan.contains("SEARCH") && !plan.matches("(?s).*SCAN t0(?! USING).*"), plan);
                    case H2 -> assertFalse(plan.contains("tableScan"), plan);
                }
            }
        }
    }

    /** Hand-written SQL on a model with a composite key: {@code keys} and {@code key} are maps by key field. */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void sqlFieldsGetCompositeKeysAsMaps(TestDb db) {
        String sdl = SDL + """
                extend type FilmActor {
                  noteCount: Int @sql(statement: "Credits.noteCount", batch: true)
                  firstNote: String @sql(statement: "Credits.firstNote")
                }
                """;
        try (Fixture f = Fixture.on(db, dev.modelgate.model.ModelParser.parse(List.of(new dev.modelgate.model.ModelParser.Source("t.graphqls", sdl))),
                java.nio.file.Path.of("src/test/resources/composite"))) {
            f.sql("INSERT INTO actors (id, name) VALUES (1, 'Ann'), (2, 'Bob')",
                    "INSERT INTO films (id, title) VALUES (10, 'Alpha'), (20, 'Beta')",
                    "INSERT INTO film_actors (actor_id, film_id, role) VALUES (1, 10, 'lead'), (1, 20, 'cameo'), (2, 10, 'villain')",
                    "INSERT INTO notes (id, text, actor_id, film_id) VALUES (1, 'b', 1, 10), (2, 'a', 1, 10), (3, 'c', 2, 10)");
            JsonNode pairs = expectStatements(f, 2, "{ filmActors(orderBy: [{actorId: ASC}, {filmId: ASC}]) { actorId filmId noteCount } }")
                    .get("filmActors");
            for (JsonNode p : pairs) {
                long count = f.number("SELECT COUNT(*) FROM notes WHERE actor_id = " + p.get("actorId") + " AND film_id = " + p.get("filmId"));
                assertEquals(count == 0 ? "null" : String.valueOf(count), p.get("noteCount").toString(), p.toString());
            }
            assertEquals("a", f.data("{ filmActor(actorId: 1, filmId: 10) { firstNote } }").at("/filmActor/firstNote").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void mutationsByCompositeKey(TestDb db) {
        Fixture f = f(db);
        JsonNode created = f.data("mutation { createFilmActor(data: {actorId: 2, filmId: 30, role: \"extra\", notes: [{text: \"x\"}, {text: \"y\"}]}) "
                + "{ actorId filmId notes { text } } }").get("createFilmActor");
        assertEquals(2, created.get("notes").size());
        assertEquals(2, f.number("SELECT COUNT(*) FROM notes WHERE actor_id = 2 AND film_id = 30"), "nested children got both key fields");

        JsonNode updated = f.data("mutation { updateFilmActor(actorId: 2, filmId: 30, set: {role: \"co-star\"}) { role } }").get("updateFilmActor");
        assertEquals("co-star", updated.get("role").asText());
        assertEquals("co-star", f.query("SELECT role FROM film_actors WHERE actor_id = 2 AND film_id = 30").get(0).get("role"));
        assertEquals(1, f.number("SELECT COUNT(*) FROM film_actors WHERE role = 'co-star'"), "only that pair changed");

        f.data("mutation { upsertFilmActor(data: {actorId: 3, filmId: 10, role: \"new\"}) { role } }");
        f.data("mutation { upsertFilmActor(data: {actorId: 3, filmId: 10, role: \"again\"}) { role } }");
        assertEquals(List.of(Map.of("role", "again")), f.query("SELECT role FROM film_actors WHERE actor_id = 3 AND film_id = 10"));

        JsonNode linked = f.data("mutation { updateTag(id: 1, set: {filmActors: {connect: [{actorId: 3, filmId: 10}], "
                + "disconnect: [{actorId: 1, filmId: 10}]}}) { filmActors(orderBy: [{actorId: ASC}]) { actorId filmId } } }").get("updateTag");
        assertEquals(f.number("SELECT COUNT(*) FROM film_actor_tags WHERE tag_id = 1"), linked.get("filmActors").size());
        assertEquals(1, f.number("SELECT COUNT(*) FROM film_actor_tags WHERE tag_id = 1 AND actor_id = 3 AND film_id = 10"));
        assertEquals(0, f.number("SELECT COUNT(*) FROM film_actor_tags WHERE tag_id = 1 AND actor_id = 1 AND film_id = 10"));

        Map<String, Object> refused = f.run("mutation { deleteFilmActor(actorId: 1, filmId: 10) { role } }");
        assertEquals("CONSTRAINT_VIOLATION", Fixture.codeOf(refused), "notes still reference the pair: " + refused);
        assertEquals(1, f.number("SELECT COUNT(*) FROM film_actors WHERE actor_id = 1 AND film_id = 10"), "nothing deleted");

        f.data("mutation { deleteNotes(where: {actorId: {eq: 2}, filmId: {eq: 30}}) { affectedRows } }");
        JsonNode deleted = f.data("mutation { deleteFilmActor(actorId: 2, filmId: 30) { role } }").get("deleteFilmActor");
        assertEquals("co-star", deleted.get("role").asText());
        assertEquals(0, f.number("SELECT COUNT(*) FROM film_actors WHERE actor_id = 2 AND film_id = 30"));
        assertEquals(1, f.number("SELECT COUNT(*) FROM film_actors WHERE actor_id = 2 AND film_id = 10"), "the other pair of the actor stays");
        assertFalse(f.data("{ filmActors { actorId } }").get("filmActors").isEmpty());
    }
}
