package dev.modelgate.migrate;

import dev.modelgate.db.Migrations;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models evolving through versions on every database (docs/migrations.md): after each {@code diff} and
 * {@code apply} the database matches the models (a second diff writes nothing), every row that
 * was there is still there with its values (direct SQL), and what would lose data is refused.
 */
class MigrationTest {
    static final String V0 = version(0);

    /**
     * Each version: what the models become. 1 a nullable field; 2 a NOT NULL field with a default
     * on a table with rows; 3 a new model with a @belongsTo to an existing one; 4 a @manyToMany
     * (a new join table); 5 a longer VARCHAR; 6 a rename with @renamedFrom; 7 a dropped field.
     */
    static String version(int n) {
        StringBuilder v = new StringBuilder("type Author @model(table: \"authors\") {\n  id: Int! @id\n")
                .append(n >= 5 ? "  name: String! @column(length: 120)\n" : "  name: String! @column(length: 40)\n")
                .append("  books: [Book!]! @hasMany(key: \"authorId\")\n")
                .append(n >= 3 ? "  awards: [Award!]! @hasMany(key: \"authorId\")\n" : "")
                .append("}\ntype Book @model(table: \"books\") {\n  id: Int! @id\n")
                .append(n >= 6 ? "  heading: String! @column(length: 100) @renamedFrom(name: \"title\")\n" : "  title: String! @column(length: 100)\n")
                .append(n >= 1 && n <= 6 ? "  isbn: String @column(length: 20)\n" : "")
                .append(n >= 2 ? "  pages: Int! @default(value: \"100\")\n" : "")
                .append("  authorId: Int!\n  author: Author! @belongsTo(key: \"authorId\")\n")
                .append(n >= 4 ? "  tags: [Tag!]! @manyToMany(table: \"book_tags\", key: \"book_id\", otherKey: \"tag_id\")\n" : "")
                .append("}\n");
        if (n >= 3) {
            v.append("type Award @model(table: \"awards\") {\n  id: Int! @id\n  label: String!\n  authorId: Int!\n")
                    .append("  author: Author! @belongsTo(key: \"authorId\")\n}\n");
        }
        if (n >= 4) {
            v.append("type Tag @model(table: \"tags\") {\n  id: Int! @id\n  label: String!\n")
                    .append("  books: [Book!]! @manyToMany(table: \"book_tags\", key: \"tag_id\", otherKey: \"book_id\")\n}\n");
        }
        return v.toString();
    }

    static Models models(String sdl) {
        return ModelParser.parse(List.of(new ModelParser.Source("models.graphqls", sdl)));
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void modelsEvolveAndEveryRowStays(TestDb db) throws Exception {
        Path dir = Files.createTempDirectory("migrations");
        try (Fixture f = Fixture.on(db, V0)) {
            f.sql("INSERT INTO authors (id, name) VALUES (1, 'Mary Beard'), (2, 'Iain Banks')",
                    "INSERT INTO books (id, title, author_id) VALUES (1, 'SPQR', 1), (2, 'Excession', 2), (3, 'Matter', 2)");
            List<Map<String, Object>> books = f.query("SELECT id, title, author_id FROM books ORDER BY id");
            Migrations migrations = new Migrations(f.url(), dir);
            assertNull(Migrator.diff(models(V0), f.db, dir, "nothing", false, List.of()).file(), "the created tables match their models");

            for (int n = 1; n <= 6; n++) {
                Models target = models(version(n));
                Migrator.Outcome out = Migrator.diff(target, f.db, dir, "v" + n, false, List.of());
                assertEquals(List.of(), out.refused(), "version " + n);
                assertTrue(out.wrote(), "version " + n + " writes a file");
                assertEquals(List.of("V" + n + "__v" + n), migrations.apply(), "version " + n + " applied:\n" + Files.readString(out.file()));
                assertEquals(List.of(), Migrator.compare(target, f.db).changes(), "after version " + n + " the database matches the models");
                assertFalse(Migrator.diff(target, f.db, dir, "again", false, List.of()).wrote(), "a second diff writes nothing");
                String title = n >= 6 ? "heading" : "title";
                assertEquals(books.stream().map(r -> r.get("title")).toList(),
                        f.query("SELECT " + title + " AS title FROM books ORDER BY id").stream().map(r -> r.get("title")).toList(),
                        "every book keeps its title after version " + n);
                assertEquals(books.stream().map(r -> ((Number) r.get("author_id")).intValue()).toList(),
                        f.query("SELECT author_id FROM books ORDER BY id").stream().map(r -> ((Number) r.get("author_id")).intValue()).toList());
                if (n >= 2) {
                    assertEquals(3, f.number("SELECT COUNT(*) FROM books WHERE pages = 100"), "existing rows get the default");
                }
                if (n == 3) {
                    f.sql("INSERT INTO awards (id, label, author_id) VALUES (1, 'Wolfson', 1)");
                }
                if (n == 4) {
                    f.sql("INSERT INTO tags (id, label) VALUES (1, 'history')", "INSERT INTO book_tags (book_id, tag_id) VALUES (1, 1)");
                }
            }
            assertEquals(2, f.number("SELECT COUNT(*) FROM authors"));
            assertEquals(1, f.number("SELECT COUNT(*) FROM awards"));
            assertEquals(1, f.number("SELECT COUNT(*) FROM book_tags"));
            f.sql("UPDATE books SET isbn = '978-0' WHERE id = 1");

            Models v7 = models(version(7));
            Migrator.Outcome refused = Migrator.diff(v7, f.db, dir, "drop_isbn", false, List.of());
            assertFalse(refused.wrote(), "a drop needs --allow-destructive");
            assertTrue(refused.refused().stream().anyMatch(r -> r.contains("drop column books.isbn")), refused.refused().toString());
            assertEquals(1, f.number("SELECT COUNT(*) FROM books WHERE isbn = '978-0'"), "nothing dropped");
            Migrator.Outcome dropped = Migrator.diff(v7, f.db, dir, "drop_isbn", true, List.of());
            assertTrue(dropped.wrote());
            assertEquals(List.of("V7__drop_isbn"), migrations.apply());
            assertEquals(List.of(), Migrator.compare(v7, f.db).changes());
            assertEquals(3, f.number("SELECT COUNT(*) FROM books"), "the rows stay; only the column went");
            assertEquals(1, f.number("SELECT COUNT(*) FROM book_tags"), "links survive a rebuild of the table they reference");
            assertTrue(migrations.files().stream().allMatch(Migrations.FileState::applied));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aNotNullColumnWithoutDefaultOnATableWithRowsIsRefused(TestDb db) throws Exception {
        Path dir = Files.createTempDirectory("migrations");
        try (Fixture f = Fixture.on(db, V0)) {
            f.sql("INSERT INTO authors (id, name) VALUES (1, 'Mary Beard')");
            Migrator.Outcome out = Migrator.diff(models(V0.replace("  name: String! @column(length: 40)\n",
                    "  name: String! @column(length: 40)\n  born: Int!\n")), f.db, dir, "born", false, List.of());
            assertFalse(out.wrote());
            assertEquals(List.of("Author.born: a new NOT NULL column without @default on a table that has rows;"
                    + " give it a @default or make it nullable"), out.refused());
            try (var files = Files.list(dir)) {
                assertEquals(0, files.count(), "nothing written");
            }
        }
    }

    /**
     * A unique constraint added by a migration (a unique index) and one made by the tables'
     * DDL (an inline constraint) are dropped only with --allow-destructive, after which duplicates go in.
     */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void droppingAUniqueConstraintIsDestructive(TestDb db) throws Exception {
        String unique = V0.replace("name: String! @column(length: 40)", "name: String! @column(length: 40) @unique");
        for (boolean fromDdl : List.of(false, true)) {
            Path dir = Files.createTempDirectory("migrations");
            try (Fixture f = Fixture.on(db, fromDdl ? unique : V0)) {
                f.sql("INSERT INTO authors (id, name) VALUES (1, 'Mary Beard')");
                Migrations migrations = new Migrations(f.url(), dir);
                if (!fromDdl) {
                    assertTrue(Migrator.diff(models(unique), f.db, dir, "unique_name", false, List.of()).wrote());
                    migrations.apply();
                    assertEquals(List.of(), Migrator.compare(models(unique), f.db).changes());
                }
                assertEquals("CONSTRAINT_VIOLATION", f.errorCode("mutation { createAuthor(data: {name: \"Mary Beard\"}) { id } }", Map.of()));
                Migrator.Outcome refused = Migrator.diff(models(V0), f.db, dir, "not_unique", false, List.of());
                assertFalse(refused.wrote());
                assertEquals(List.of("drop unique constraint on authors.name: destructive; run with --allow-destructive to write it"), refused.refused());
                Migrator.Outcome out = Migrator.diff(models(V0), f.db, dir, "not_unique", true, List.of());
                assertTrue(out.wrote());
                migrations.apply();
                assertEquals(List.of(), Migrator.compare(models(V0), f.db).changes(), Files.readString(out.file()));
                f.sql("INSERT INTO authors (id, name) VALUES (2, 'Mary Beard')");
                assertEquals(2, f.number("SELECT COUNT(*) FROM authors WHERE name = 'Mary Beard'"));
            }
        }
    }

    /**
     * Tables made by --create-tables match their models: no false drift for any type the
     * models have (enums, JSON, DateTime and Boolean defaults, DECIMAL, TEXT), on every database.
     */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void tablesTheModelsCreatedMatchThem(TestDb db) throws Exception {
        String every = """
                enum Mood { HAPPY SAD }
                type Thing @model(table: "things") {
                  id: Long! @id
                  code: String! @column(length: 12) @unique
                  body: String @column(type: "TEXT")
                  mood: Mood! @default(value: "HAPPY")
                  data: JSON
                  price: BigDecimal @column(precision: 8, scale: 2) @default(value: "1.50")
                  active: Boolean! @default(value: "true")
                  created: DateTime! @default(value: "now")
                  day: Date
                  ratio: Float
                  rank: Int! @default(value: "0") @index
                  at: LocalTime
                  blob: Bytes
                  parts: [Part!]! @hasMany(key: "thingId")
                }
                type Part @model(table: "parts") {
                  id: Int! @id
                  thingId: Long!
                  thing: Thing! @belongsTo(key: "thingId")
                }
                """;
        for (Models models : List.of(models(every), ModelParser.parse(Path.of("schema")))) {
            try (Fixture f = Fixture.on(db, models, models.sqlFields().isEmpty() ? null : Path.of("mappers"))) {
                assertEquals(List.of(), Migrator.compare(models, f.db).changes().stream().map(SchemaDiff.Change::describe).toList());
            }
        }
    }

    /**
     * SQLite's rebuild keeps the table's own indexes and triggers (its DROP TABLE takes them),
     * except one that names a column the change drops, which the file lists instead.
     */
    @org.junit.jupiter.api.Test
    void aSqliteRebuildKeepsTheTablesOwnIndexesAndTriggers() throws Exception {
        Path dir = Files.createTempDirectory("migrations");
        try (Fixture f = Fixture.on(TestDb.SQLITE, version(1))) {
            f.sql("CREATE TABLE audit (what TEXT)");
            f.sql("CREATE INDEX my_title_isbn ON books (title, author_id)",
                    "CREATE INDEX my_isbn ON books (isbn)",
                    "CREATE TRIGGER books_audit AFTER INSERT ON books BEGIN INSERT INTO audit (what) VALUES (new.title); END",
                    "INSERT INTO authors (id, name) VALUES (1, 'Mary Beard')",
                    "INSERT INTO books (id, title, author_id) VALUES (1, 'SPQR', 1)");
            Models target = models(version(1).replace("  isbn: String @column(length: 20)\n", "  code: String @column(length: 20) @renamedFrom(name: \"isbn\")\n")
                    .replace("title: String! @column(length: 100)", "title: String! @column(length: 150)")
                    + "type Audit @model(table: \"audit\", readOnly: true) {\n  what: String\n}\n");
            Migrator.Outcome out = Migrator.diff(target, f.db, dir, "rebuild", false, List.of());
            assertTrue(out.wrote(), out.refused().toString());
            new Migrations(f.url(), dir).apply();
            String text = Files.readString(out.file());
            assertTrue(text.contains("-- not made again, it names a column that changed: CREATE INDEX my_isbn"), text);
            assertEquals(List.of("books_audit", "my_title_isbn"), f.query("SELECT name FROM sqlite_master WHERE tbl_name = 'books'"
                    + " AND type IN ('index', 'trigger') AND name NOT LIKE 'ix_%' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                    .stream().map(r -> r.get("name")).toList());
            f.sql("INSERT INTO books (id, title, author_id) VALUES (2, 'Pompeii', 1)");
            assertEquals(1, f.number("SELECT COUNT(*) FROM audit WHERE what = 'Pompeii'"), "the trigger fires on the rebuilt table");
            assertEquals(List.of(), Migrator.compare(target, f.db).changes());
        }
    }

    /** A model renamed with @renamedFrom on its type: its table is renamed, rows and references kept. */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aRenamedModelRenamesItsTable(TestDb db) throws Exception {
        Path dir = Files.createTempDirectory("migrations");
        try (Fixture f = Fixture.on(db, V0)) {
            f.sql("INSERT INTO authors (id, name) VALUES (1, 'Mary Beard')", "INSERT INTO books (id, title, author_id) VALUES (1, 'SPQR', 1)");
            Models renamed = models(V0.replace("type Author @model(table: \"authors\") {", "type Author @model(table: \"writers\") @renamedFrom(name: \"authors\") {"));
            Migrator.Outcome out = Migrator.diff(renamed, f.db, dir, "writers", false, List.of());
            assertEquals(List.of(), out.refused());
            assertEquals(List.of("rename table authors to writers"), out.changes().stream().map(SchemaDiff.Change::describe).toList());
            new Migrations(f.url(), dir).apply();
            assertEquals(List.of(), Migrator.compare(renamed, f.db).changes());
            assertEquals(List.of(Map.of("name", "Mary Beard")), f.query("SELECT name FROM writers"));
            assertEquals(1, f.number("SELECT COUNT(*) FROM books b JOIN writers w ON w.id = b.author_id"));
        }
    }

    /** Files V1__step1 … Vn__stepn, each creating table {@code <table>i} and inserting one row. */
    private static void writeSteps(Path dir, String table, int count) throws java.io.IOException {
        for (int n = 1; n <= count; n++) {
            Files.writeString(dir.resolve("V" + n + "__step" + n + ".sql"),
                    "CREATE TABLE " + table + n + " (id INTEGER PRIMARY KEY);\nINSERT INTO " + table + n + " (id) VALUES (" + n + ");\n");
        }
    }

    /** Two applies at once (each with connections of its own, as two processes have): each file is applied once. */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void concurrentAppliesApplyEachFileOnce(TestDb db) throws Exception {
        Path dir = Files.createTempDirectory("migrations");
        try (Fixture f = Fixture.on(db, V0)) {
            writeSteps(dir, "step", 3);
            ExecutorService two = Executors.newFixedThreadPool(2);
            List<Callable<List<String>>> applies = List.of(() -> new Migrations(f.url(), dir).apply(), () -> new Migrations(f.url(), dir).apply());
            List<String> applied = new ArrayList<>();
            for (Future<List<String>> r : two.invokeAll(applies)) {
                applied.addAll(r.get());
            }
            two.shutdown();
            assertEquals(List.of("V1__step1", "V2__step2", "V3__step3"), applied.stream().sorted().toList(), "each file once, by one of them");
            for (int n = 1; n <= 3; n++) {
                assertEquals(1, f.number("SELECT COUNT(*) FROM step" + n));
            }
        }
    }

    /** Two {@code migrate apply} processes at once: each file is applied once, the second finds nothing left (exit 0 both). */
    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"MARIADB", "POSTGRESQL", "SQLITE"})
    void twoApplyProcessesApplyEachFileOnce(TestDb db) throws Exception {
        Path dir = Files.createTempDirectory("migrations");
        try (Fixture f = Fixture.on(db, V0)) {
            writeSteps(dir, "proc_step", 4);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), dev.modelgate.cli.Main.class.getName(),
                    "migrate", "apply", "--db", f.url().jdbcUrl(), "--migrations", dir.toString()));
            if (f.url().user() != null) {
                cmd.addAll(List.of("--db-user", f.url().user()));
            }
            Process a = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Process b = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String outA = new String(a.getInputStream().readAllBytes());
            String outB = new String(b.getInputStream().readAllBytes());
            assertTrue(a.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && b.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, a.exitValue(), outA);
            assertEquals(0, b.exitValue(), outB);
            for (int n = 1; n <= 4; n++) {
                String line = "applied V" + n + "__step" + n;
                assertEquals(1, (outA.contains(line) ? 1 : 0) + (outB.contains(line) ? 1 : 0), line + " by exactly one:\n" + outA + "\n---\n" + outB);
                assertEquals(1, f.number("SELECT COUNT(*) FROM proc_step" + n));
            }
            assertEquals(4, f.number("SELECT COUNT(*) FROM " + Migrations.HISTORY + " WHERE success = " + (db == TestDb.POSTGRESQL ? "TRUE" : "1")
                    + " AND version <> '0'"));
        }
    }

    /** MariaDB has no transactional DDL: a file failing midway is reported with its statement and left unrecorded. */
    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"MARIADB", "POSTGRESQL"})
    void aFailingFileIsReportedWithItsStatementAndNotRecorded(TestDb db) throws Exception {
        Path dir = Files.createTempDirectory("migrations");
        try (Fixture f = Fixture.on(db, V0)) {
            Files.writeString(dir.resolve("V1__broken.sql"), "CREATE TABLE first_one (id INTEGER PRIMARY KEY);\nALTER TABLE no_such_table ADD COLUMN x INTEGER;\n");
            Migrations migrations = new Migrations(f.url(), dir);
            Migrations.Failed failed = org.junit.jupiter.api.Assertions.assertThrows(Migrations.Failed.class, migrations::apply);
            assertTrue(failed.getMessage().contains("ALTER TABLE no_such_table ADD COLUMN x INTEGER"), failed.getMessage());
            assertEquals(1, migrations.files().size());
            assertFalse(migrations.files().get(0).applied(), "not recorded as applied");
            if (db == TestDb.POSTGRESQL) {
                assertFalse(f.db.tableNames().contains("first_one"), "PostgreSQL rolled the whole file back");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"MARIADB", "SQLITE"})
    void anAppliedFileThatWasEditedIsRefused(TestDb db) throws Exception {
        Path dir = Files.createTempDirectory("migrations");
        try (Fixture f = Fixture.on(db, V0)) {
            Path file = dir.resolve("V1__one.sql");
            Files.writeString(file, "CREATE TABLE one_table (id INTEGER PRIMARY KEY);\n");
            assertEquals(List.of("V1__one"), new Migrations(f.url(), dir).apply());
            Files.writeString(file, "CREATE TABLE one_table (id INTEGER PRIMARY KEY, x INTEGER);\n");
            Migrations.Failed failed = org.junit.jupiter.api.Assertions.assertThrows(Migrations.Failed.class, () -> new Migrations(f.url(), dir).apply());
            assertTrue(failed.getMessage().toLowerCase().contains("checksum"), failed.getMessage());
        }
    }

    /**
     * The issue's path: the demo's models and rows on MariaDB, the models given a new field and a
     * new model, then {@code migrate diff} and {@code migrate apply}; every row stays.
     */
    @org.junit.jupiter.api.Test
    void theDemoGetsANewFieldAndANewModelOnMariadbKeepingEveryRow() throws Exception {
        Path dir = Files.createTempDirectory("migrations");
        Models demo = ModelParser.parse(Path.of("schema"));
        try (Fixture f = Fixture.on(TestDb.MARIADB, demo, Path.of("mappers"))) {
            dev.modelgate.db.SchemaSetup.seed(f.db, Path.of("schema/seed.sql"));
            List<Map<String, Object>> cities = f.query("SELECT id, name, state_id FROM cities ORDER BY id");
            List<Map<String, Object>> visits = f.query("SELECT city_id, user_id FROM user_visits ORDER BY city_id, user_id");
            String world = Files.readString(Path.of("schema/world.graphqls"))
                    .replaceFirst("type City @model\\(table: \"cities\"\\) \\{", "type City @model(table: \"cities\") {\n  population: Int\n"
                            + "  landmarks: [Landmark!]! @hasMany(key: \"cityId\")")
                    + "\ntype Landmark @model(table: \"landmarks\") {\n  id: Int! @id\n  name: String! @column(length: 80)\n"
                    + "  cityId: Int!\n  city: City! @belongsTo(key: \"cityId\")\n}\n";
            Models next = ModelParser.parse(List.of(new ModelParser.Source("world.graphqls", world),
                    new ModelParser.Source("queries.graphqls", Files.readString(Path.of("schema/queries.graphqls")))));
            Migrator.Outcome out = Migrator.diff(next, f.db, dir, "landmarks", false, List.of());
            assertTrue(out.wrote(), out.refused().toString());
            assertEquals(List.of("V1__landmarks"), new Migrations(f.url(), dir).apply());
            assertEquals(List.of(), Migrator.compare(next, f.db).changes());
            assertEquals(cities, f.query("SELECT id, name, state_id FROM cities ORDER BY id"));
            assertEquals(visits, f.query("SELECT city_id, user_id FROM user_visits ORDER BY city_id, user_id"));
            f.sql("INSERT INTO landmarks (name, city_id) VALUES ('Golden Gate', 1)");
            assertEquals(1, f.number("SELECT COUNT(*) FROM landmarks l JOIN cities c ON c.id = l.city_id"));
        }
    }
}
