package dev.modelgate.exec;

import dev.modelgate.db.Database;
import dev.modelgate.db.DbUrl;
import dev.modelgate.db.SchemaSetup;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SQLite file that another process keeps locked past the busy timeout answers
 * DATABASE_UNAVAILABLE (issue 18), loses nothing, and does not mark the database down: the
 * next operation, once the lock is gone, runs at once.
 */
class LockedFileTest {
    @Test
    void aFileLockedPastTheBusyTimeoutIsUnavailableAndTheNextWriteRuns() throws Exception {
        Path file = Files.createTempDirectory("modelgate-locked").resolve("t.db");
        Models models = ModelParser.parse(List.of(new ModelParser.Source("t.graphqls",
                "type Tag @model { id: Int! @id label: String! }")));
        try (Database db = Database.open(DbUrl.parse("jdbc:sqlite:" + file + "?busy_timeout=300", null, null))) {
            SchemaSetup.createMissingTables(db, models);
            Gateway gateway = new Gateway(models, db);
            String create = "mutation { createTag(data: {label: \"a\"}) { id } }";
            Map<String, Object> refused;
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement st = other.createStatement()) {
                st.execute("BEGIN EXCLUSIVE");   // another process writing, and holding on
                refused = gateway.execute(new Gateway.Request(create, Map.of(), null));
                st.execute("ROLLBACK");
            }
            List<?> errors = (List<?>) refused.get("errors");
            assertEquals(1, errors.size(), refused.toString());
            Map<?, ?> error = (Map<?, ?>) errors.get(0);
            assertEquals("DATABASE_UNAVAILABLE", ((Map<?, ?>) error.get("extensions")).get("code"), refused.toString());
            assertFalse(String.valueOf(error.get("message")).contains("SQLITE"), "no driver text: " + error);
            assertEquals(0, count(file), "nothing written by the refused operation");

            Map<String, Object> served = gateway.execute(new Gateway.Request(create, Map.of(), null));
            assertFalse(served.containsKey("errors"), served.toString());
            assertEquals(1, count(file));
            assertTrue(String.valueOf(served.get("data")).contains("id="), served.toString());
        }
    }

    private static int count(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM tags")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
