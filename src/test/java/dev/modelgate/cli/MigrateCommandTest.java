package dev.modelgate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The migrate commands as a user runs them (docs/migrations.md), on an SQLite file: exit statuses,
 * the files written beside the models, and the two-command path from the models to the database.
 */
class MigrateCommandTest {
    @Test
    void diffApplyStatusFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path schema = dir.resolve("schema");
        Files.createDirectories(schema);
        Files.writeString(schema.resolve("models.graphqls"), """
                type Note @model(table: "notes") {
                  id: Int! @id
                  text: String!
                }
                """);
        String db = "jdbc:sqlite:" + dir.resolve("app.db");
        String[] at = {"--db", db, "--schema", schema.toString()};

        assertEquals(1, Main.run(concat("migrate", "status", at)), "a database without the tables differs from the models");
        assertEquals(0, Main.run(concat("migrate", "diff", at, "--name", "notes")));
        Path first = schema.resolve("migrations/V1__notes.sql");
        assertTrue(Files.readString(first).contains("CREATE TABLE \"notes\""), Files.readString(first));
        assertEquals(1, Main.run(concat("migrate", "status", at)), "a pending file");
        assertEquals(2, Main.run(concat("migrate", "diff", at)), "no new file while one is pending");
        assertEquals(0, Main.run(concat("migrate", "apply", at)));
        assertEquals(0, Main.run(concat("migrate", "status", at)), "applied: the database matches the models");
        assertEquals(0, Main.run(concat("migrate", "diff", at)), "nothing to do");
        try (var files = Files.list(schema.resolve("migrations"))) {
            assertEquals(1, files.count(), "and nothing written");
        }

        try (Connection c = DriverManager.getConnection(db)) {
            c.createStatement().execute("INSERT INTO notes (text) VALUES ('kept')");
        }
        Files.writeString(schema.resolve("models.graphqls"), """
                type Note @model(table: "notes") {
                  id: Int! @id
                  text: String!
                  pinned: Boolean!
                }
                """);
        assertEquals(2, Main.run(concat("migrate", "diff", at)), "a NOT NULL column without a default on a table with rows");
        Files.writeString(schema.resolve("models.graphqls"), """
                type Note @model(table: "notes") {
                  id: Int! @id
                  text: String!
                  pinned: Boolean! @default(value: "false")
                }
                """);
        assertEquals(0, Main.run(concat("migrate", "diff", at, "--name", "pinned")));
        assertEquals(0, Main.run(concat("migrate", "apply", at)));
        assertEquals(0, Main.run(concat("migrate", "status", at)));
        try (Connection c = DriverManager.getConnection(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT text, pinned FROM notes")) {
            assertTrue(rs.next());
            assertEquals("kept", rs.getString(1));
            assertEquals(0, rs.getInt(2));
        }
    }

    private static String[] concat(String command, String sub, String[] at, String... more) {
        String[] out = new String[2 + at.length + more.length];
        out[0] = command;
        out[1] = sub;
        System.arraycopy(at, 0, out, 2, at.length);
        System.arraycopy(more, 0, out, 2 + at.length, more.length);
        return out;
    }
}
