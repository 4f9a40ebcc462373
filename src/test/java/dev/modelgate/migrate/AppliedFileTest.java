package dev.modelgate.migrate;

import dev.modelgate.db.Migrations;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history protects applied files: an applied file that was edited is refused and the history
 * is left as it was (so restoring the file makes apply pass again); a file that fails leaves no
 * row; only {@code migrate repair} takes an edited file as applied. On every database.
 */
class AppliedFileTest {

    private static List<Map<String, Object>> history(Fixture f) {
        return f.query("SELECT version, checksum, success FROM " + f.db.dialect().quote(Migrations.HISTORY)
                + " WHERE version <> '0' ORDER BY installed_rank");
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void anEditedAppliedFileIsRefusedAndTheHistoryKept(TestDb kind) throws Exception {
        Path dir = Files.createTempDirectory("migrations");
        try (Fixture f = Fixture.on(kind, "type Note @model(table: \"notes\") {\n  id: Int! @id\n  text: String!\n}\n")) {
            Path first = dir.resolve("V1__notes_extra.sql");
            String original = "CREATE TABLE extra (id INT PRIMARY KEY);\n";
            Files.writeString(first, original);
            Migrations migrations = new Migrations(f.url(), dir);
            assertEquals(List.of("V1__notes_extra"), migrations.apply());
            List<Map<String, Object>> before = history(f);
            assertEquals(1, before.size());

            Files.writeString(first, original + "CREATE TABLE sneaky (id INT PRIMARY KEY);\n");
            Migrations.Failed edited = assertThrows(Migrations.Failed.class, () -> new Migrations(f.url(), dir).apply());
            assertTrue(edited.getMessage().contains("checksum") && edited.getMessage().contains("1"), edited.getMessage());
            assertTrue(edited.remedy().contains("migrate repair"), edited.remedy());
            assertEquals(before, history(f), "the history is not realigned to the edited file");
            assertTrue(f.db.tableNames().stream().noneMatch("sneaky"::equals), "the edit did not run");

            Files.writeString(first, original);
            assertEquals(List.of(), new Migrations(f.url(), dir).apply(), "the restored file is the applied one");
            assertEquals(before, history(f));

            Files.writeString(first, original + "-- a comment the team meant to keep\n");
            assertTrue(new Migrations(f.url(), dir).repair().contains("1 file(s) realigned"));
            assertNotEquals(before, history(f), "repair, asked for, takes the file as it is now");
            assertEquals(List.of(), new Migrations(f.url(), dir).apply());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aFailedFileLeavesNoRowAndAppliesOnceFixed(TestDb kind) throws Exception {
        Path dir = Files.createTempDirectory("migrations");
        try (Fixture f = Fixture.on(kind, "type Note @model(table: \"notes\") {\n  id: Int! @id\n  text: String!\n}\n")) {
            Files.writeString(dir.resolve("V1__one.sql"), "CREATE TABLE one_t (id INT PRIMARY KEY);\n");
            Path second = dir.resolve("V2__two.sql");
            Files.writeString(second, "CREATE TABLE two_t (id INT PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n");
            Migrations.Failed failed = assertThrows(Migrations.Failed.class, () -> new Migrations(f.url(), dir).apply());
            assertTrue(failed.getMessage().startsWith("V2__two.sql, line 2: INSERT INTO no_such_table VALUES (1) — "),
                    "the file, the line and the statement, in one line: " + failed.getMessage());
            assertTrue(!failed.getMessage().contains("\n") && !failed.getMessage().contains("-----"), failed.getMessage());
            List<Map<String, Object>> rows = history(f);
            assertEquals(1, rows.size(), "only V1 is recorded: " + rows);
            Files.writeString(second, "CREATE TABLE IF NOT EXISTS two_t (id INT PRIMARY KEY);\n");
            assertEquals(List.of("V2__two"), new Migrations(f.url(), dir).apply());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
