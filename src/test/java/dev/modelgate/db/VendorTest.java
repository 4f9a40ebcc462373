package dev.modelgate.db;

import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each database is one vendor, known from the server itself: the MariaDB here is reached through
 * MySQL's Connector/J (a {@code jdbc:mysql:} URL), and is MariaDB all the same; the others are
 * what their URL's driver serves. A URL of no known driver is refused with the ones there are.
 */
class VendorTest {
    static final Map<TestDb, String> EXPECTED = Map.of(TestDb.SQLITE, "sqlite", TestDb.MARIADB, "mariadb",
            TestDb.POSTGRESQL, "postgresql", TestDb.H2, "h2");

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void theServerSaysWhichVendorItIs(TestDb kind) {
        try (Fixture f = Fixture.on(kind, "type Note @model { id: Int! @id  body: String }")) {
            Vendor vendor = f.db.vendor();
            assertEquals(EXPECTED.get(kind), vendor.name());
            assertEquals(f.db.dialect().name(), vendor.dialect().name(), "one dialect per vendor's SQL: MariaDB speaks MySQL's");
            if (kind == TestDb.MARIADB) {
                assertTrue(f.url().jdbcUrl().startsWith("jdbc:mysql:"), "reached through Connector/J: " + f.url().jdbcUrl());
                assertEquals("mysql", Vendor.forJdbcUrl(f.url().jdbcUrl()).name(), "the URL alone says MySQL");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void eachVendorsDifferencesAreItsOwn(TestDb kind) {
        try (Fixture f = Fixture.on(kind, "type Note @model { id: Int! @id  body: String }")) {
            Vendor v = f.db.vendor();
            boolean mysqlFamily = kind == TestDb.MARIADB;
            assertEquals(mysqlFamily, v.utcWallTime(), "DATETIME as UTC wall time");
            assertEquals(!mysqlFamily, v.uniqueConstraintsInCatalog(), "unique constraints in information_schema");
            assertEquals(kind == TestDb.SQLITE, v.catalog().typesFromDdl());
            assertEquals(kind == TestDb.POSTGRESQL, v.catalog().enumTypes());
            f.sql("CREATE INDEX notes_body ON notes (body)");
            assertEquals(kind == TestDb.SQLITE ? 1 : 0, v.companions(f.db, "notes").size(), "the table's own indexes, where a rebuild needs them");
        }
    }

    @org.junit.jupiter.api.Test
    void aUrlOfNoKnownDriverIsRefusedWithTheOnesThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vendor.forJdbcUrl("jdbc:oracle:thin:@x:1521/y"));
        assertTrue(e.getMessage().contains("jdbc:mysql:") && e.getMessage().contains("jdbc:postgresql:"), e.getMessage());
    }
}
