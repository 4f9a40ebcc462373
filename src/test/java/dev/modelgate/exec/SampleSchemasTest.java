package dev.modelgate.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.api.SchemaBuilder;
import dev.modelgate.db.Introspector;
import dev.modelgate.db.SchemaSetup;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.SqlScript;
import dev.modelgate.support.TestDb;
import graphql.schema.idl.SchemaPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real sample schemas no one here wrote (src/test/resources/samples: the MySQL employees sample
 * and Chinook), loaded into SQLite, MariaDB and PostgreSQL and served as {@code serve
 * --introspect} serves them: what introspection reads, the same API on every database, the
 * {@code introspect} output accepted by {@code serve --schema} as it is, and every answer checked
 * against direct SQL on the same database, with statement counts.
 */
class SampleSchemasTest {
    static final Path SAMPLES = Path.of("src/test/resources/samples");

    static List<String> employees(TestDb db) {
        List<String> out = new ArrayList<>(SqlScript.statements(SAMPLES.resolve("employees/schema." + name(db) + ".sql")));
        out.addAll(SqlScript.statements(SAMPLES.resolve("employees/data.sql")));
        return out;
    }

    static List<String> chinook(TestDb db) {
        return SqlScript.statements(SAMPLES.resolve("chinook/" + name(db) + ".sql.gz"));
    }

    private static String name(TestDb db) {
        return switch (db) {
            case MARIADB -> "mysql";
            case POSTGRESQL -> "postgresql";
            case SQLITE -> "sqlite";
            case H2 -> throw new IllegalArgumentException("the samples are for SQLite, MariaDB and PostgreSQL");
        };
    }

    private static String api(Models models) {
        return new SchemaPrinter(SchemaPrinter.Options.defaultOptions().includeDirectives(false)).print(SchemaBuilder.build(models));
    }

    private static List<Object> column(List<Map<String, Object>> rows, String name) {
        return rows.stream().map(r -> r.get(name) instanceof Number n ? (Object) n.longValue() : String.valueOf(r.get(name))).toList();
    }

    private static List<Object> values(JsonNode list, String field) {
        List<Object> out = new ArrayList<>();
        list.forEach(n -> out.add(n.get(field).isNumber() ? (Object) n.get(field).asLong() : n.get(field).asText()));
        return out;
    }

    static JsonNode expectStatements(Fixture f, int expected, String query) {
        JsonNode[] data = new JsonNode[1];
        List<String> sql = f.statements(() -> data[0] = f.data(query));
        assertEquals(expected, sql.size(), () -> String.join("\n", sql));
        return data[0];
    }

    /**
     * What {@code introspect} prints, given to {@code serve --schema}: it parses as it is, finds
     * every table there (creates none), and serves the same API.
     */
    private static void roundTrips(Fixture f) throws Exception {
        Path file = Files.createTempFile("introspected", ".graphqls");
        Files.writeString(file, f.introspection.sdl());
        Models served = ModelParser.parse(List.of(new ModelParser.Source(file.toString(), Files.readString(file))));
        Set<String> before = f.db.tableNames();
        SchemaSetup.createMissingTables(f.db, served);
        assertEquals(before, f.db.tableNames(), "serve --schema creates no table of an introspected database");
        assertEquals(api(f.models), api(served));
    }

    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"SQLITE", "MARIADB", "POSTGRESQL"})
    void employeesAsIntrospected(TestDb db) throws Exception {
        try (Fixture f = Fixture.introspected(db, employees(db).toArray(String[]::new))) {
            String sdl = f.introspection.sdl();
            Fixture.assertLines(sdl, List.of(
                    "type DeptEmp @model(table: \"dept_emp\") {",
                    "empNo: Int! @id",
                    "deptNo: String! @id @column(length: 4)",
                    "departments: [Department!]! @manyToMany(table: \"dept_emp\", key: \"emp_no\", otherKey: \"dept_no\")",
                    "departmentsViaDeptManager: [Department!]! @manyToMany(table: \"dept_manager\", key: \"emp_no\", otherKey: \"dept_no\")",
                    "employees: [Employee!]! @manyToMany(table: \"dept_emp\", key: \"dept_no\", otherKey: \"emp_no\")",
                    "deptEmps: [DeptEmp!]! @hasMany(key: \"empNo\")",
                    "salaries: [Salary!]! @hasMany(key: \"empNo\")",
                    "type Title @model(table: \"titles\") {",
                    "type CurrentDeptEmp @model(table: \"current_dept_emp\", readOnly: true) {"));
            assertEquals(db != TestDb.SQLITE, sdl.contains("gender: EmployeeGender!"), "an ENUM where the database has one:\n" + sdl);
            assertEquals(List.of(), f.introspection.warnings());
            roundTrips(f);

            JsonNode staff = expectStatements(f, 5, "{ employees(limit: 40, orderBy: [{empNo: ASC}]) { empNo"
                    + " salaries(orderBy: [{fromDate: ASC}]) { salary } departments(orderBy: [{deptNo: ASC}]) { deptName }"
                    + " titles(orderBy: [{fromDate: ASC}]) { title } salariesAggregate { count max { salary } } } }").get("employees");
            assertEquals(40, staff.size());
            for (JsonNode e : staff) {
                long n = e.get("empNo").asLong();
                assertEquals(column(f.query("SELECT salary FROM salaries WHERE emp_no = " + n + " ORDER BY from_date"), "salary"),
                        values(e.get("salaries"), "salary"));
                assertEquals(column(f.query("SELECT d.dept_name FROM dept_emp de JOIN departments d ON d.dept_no = de.dept_no"
                        + " WHERE de.emp_no = " + n + " ORDER BY d.dept_no"), "dept_name"), values(e.get("departments"), "deptName"));
                assertEquals(column(f.query("SELECT title FROM titles WHERE emp_no = " + n + " ORDER BY from_date"), "title"),
                        values(e.get("titles"), "title"));
                assertEquals(f.number("SELECT MAX(salary) FROM salaries WHERE emp_no = " + n), e.at("/salariesAggregate/max/salary").asLong());
            }

            JsonNode managers = expectStatements(f, 2, "{ departments(orderBy: [{deptNo: ASC}]) { deptNo employeesViaDeptManager { empNo } } }")
                    .get("departments");
            for (JsonNode d : managers) {
                assertEquals(f.number("SELECT COUNT(*) FROM dept_manager WHERE dept_no = '" + d.get("deptNo").asText() + "'"),
                        d.get("employeesViaDeptManager").size());
            }

            Map<String, Object> first = f.query("SELECT emp_no, from_date, salary FROM salaries ORDER BY emp_no, from_date").get(0);
            String fromDate = String.valueOf(first.get("from_date")).substring(0, 10);
            long empNo = ((Number) first.get("emp_no")).longValue();
            JsonNode one = f.data("{ salary(empNo: " + empNo + ", fromDate: \"" + fromDate + "\") { salary employee { empNo } } }").get("salary");
            assertEquals(((Number) first.get("salary")).longValue(), one.get("salary").asLong());
            assertEquals(empNo, one.at("/employee/empNo").asLong());
            f.data("mutation { updateSalary(empNo: " + empNo + ", fromDate: \"" + fromDate + "\", set: {salary: 123456}) { salary } }");
            assertEquals(1, f.number("SELECT COUNT(*) FROM salaries WHERE salary = 123456"), "only the row of that key changed");
            f.data("mutation { upsertDeptEmp(data: {empNo: " + empNo + ", deptNo: \"d009\", fromDate: \"2000-01-01\", toDate: \"9999-01-01\"}) { deptNo } }");
            f.data("mutation { upsertDeptEmp(data: {empNo: " + empNo + ", deptNo: \"d009\", fromDate: \"2001-01-01\", toDate: \"9999-01-01\"}) { deptNo } }");
            assertEquals(1, f.number("SELECT COUNT(*) FROM dept_emp WHERE emp_no = " + empNo + " AND dept_no = 'd009'"));
            assertTrue(String.valueOf(f.query("SELECT from_date FROM dept_emp WHERE emp_no = " + empNo + " AND dept_no = 'd009'")
                    .get(0).get("from_date")).startsWith("2001-01-01"), "the upsert updated the row of the key");
            f.data("mutation { deleteDeptEmp(empNo: " + empNo + ", deptNo: \"d009\") { deptNo } }");
            assertEquals(0, f.number("SELECT COUNT(*) FROM dept_emp WHERE emp_no = " + empNo + " AND dept_no = 'd009'"));

            JsonNode current = f.data("{ currentDeptEmps(limit: 5) { empNo deptNo } currentDeptEmpsAggregate { count } }");
            assertEquals(f.number("SELECT COUNT(*) FROM current_dept_emp"), current.at("/currentDeptEmpsAggregate/count").asLong());
            assertEquals(5, current.get("currentDeptEmps").size());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"SQLITE", "MARIADB", "POSTGRESQL"})
    void chinookAsIntrospected(TestDb db) throws Exception {
        try (Fixture f = Fixture.introspected(db, chinook(db).toArray(String[]::new))) {
            String sdl = f.introspection.sdl();
            assertFalse(sdl.contains("type PlaylistTrack"), "a plain join table is no model:\n" + sdl);
            assertTrue(sdl.contains("tracks: [Track!]! @manyToMany("), sdl);
            assertEquals(List.of(), f.introspection.warnings());
            roundTrips(f);
            boolean pascal = db != TestDb.POSTGRESQL;
            String artist = pascal ? "Artist" : "artist";
            String album = pascal ? "Album" : "album";
            String track = pascal ? "Track" : "track";
            String artistId = pascal ? "ArtistId" : "artist_id";
            String albumId = pascal ? "AlbumId" : "album_id";

            JsonNode artists = expectStatements(f, 4, "{ artists(limit: 30, orderBy: [{artistId: ASC}]) { artistId"
                    + " albums(orderBy: [{albumId: ASC}]) { title tracks(orderBy: [{trackId: ASC}]) { name genre { name } } } } }").get("artists");
            for (JsonNode a : artists) {
                List<Map<String, Object>> albums = f.query("SELECT " + albumId + " AS id, title FROM " + q(db, album) + " WHERE "
                        + artistId + " = " + a.get("artistId").asLong() + " ORDER BY " + albumId);
                assertEquals(column(albums, "title"), values(a.get("albums"), "title"));
                for (int i = 0; i < albums.size(); i++) {
                    assertEquals(f.number("SELECT COUNT(*) FROM " + q(db, track) + " WHERE " + albumId + " = " + albums.get(i).get("id")),
                            a.get("albums").get(i).get("tracks").size());
                }
            }
            String invoice = pascal ? "Invoice" : "invoice";
            String total = pascal ? "Total" : "total";
            String date = pascal ? "InvoiceDate" : "invoice_date";
            JsonNode sums = f.data("{ invoicesAggregate { count sum { total } } january: invoicesAggregate(where: {invoiceDate:"
                    + " {gte: \"2021-01-01T00:00:00Z\", lt: \"2021-02-01T00:00:00Z\"}}) { count } }");
            assertEquals(f.number("SELECT COUNT(*) FROM " + q(db, invoice)), sums.at("/invoicesAggregate/count").asLong());
            assertEquals(new java.math.BigDecimal(f.query("SELECT SUM(" + total + ") AS s FROM " + q(db, invoice)).get(0).get("s").toString())
                    .stripTrailingZeros(), new java.math.BigDecimal(sums.at("/invoicesAggregate/sum/total").asText()).stripTrailingZeros());
            assertEquals(f.number("SELECT COUNT(*) FROM " + q(db, invoice) + " WHERE " + date + " >= '2021-01-01' AND " + date + " < '2021-02-01'"),
                    sums.at("/january/count").asLong());
            assertTrue(sums.at("/january/count").asLong() > 0, "the sample has invoices in January 2021");

            JsonNode playlists = expectStatements(f, 2, "{ playlists(orderBy: [{playlistId: ASC}]) { playlistId tracksAggregate { count } } }")
                    .get("playlists");
            String link = pascal ? "PlaylistTrack" : "playlist_track";
            String playlistId = pascal ? "PlaylistId" : "playlist_id";
            for (JsonNode p : playlists) {
                assertEquals(f.number("SELECT COUNT(*) FROM " + q(db, link) + " WHERE " + playlistId + " = " + p.get("playlistId").asLong()),
                        p.at("/tracksAggregate/count").asLong());
            }
        }
    }

    /**
     * The same schema gives the same API on the three databases. The one documented difference:
     * SQLite has no enum type, so the employees' gender is a String there.
     */
    @Test
    void theSameSchemaGivesTheSameApiOnEveryDatabase() {
        for (String sample : List.of("employees", "chinook")) {
            Map<TestDb, String> apis = new EnumMap<>(TestDb.class);
            for (TestDb db : List.of(TestDb.SQLITE, TestDb.MARIADB, TestDb.POSTGRESQL)) {
                List<String> script = sample.equals("employees") ? employees(db) : chinook(db);
                try (Fixture f = Fixture.introspected(db, script.toArray(String[]::new))) {
                    apis.put(db, api(f.models));
                }
            }
            same(apis.get(TestDb.MARIADB), apis.get(TestDb.POSTGRESQL), sample + ": MariaDB and PostgreSQL");
            same(withoutGender(apis.get(TestDb.MARIADB)), withoutGender(apis.get(TestDb.SQLITE)), sample + ": MariaDB and SQLite");
        }
    }

    /** Equal texts, or a failure that shows the blocks that differ. */
    private static void same(String a, String b, String what) {
        List<String> left = List.of(a.split("\n\n"));
        List<String> right = List.of(b.split("\n\n"));
        List<String> onlyLeft = left.stream().filter(x -> !right.contains(x)).toList();
        List<String> onlyRight = right.stream().filter(x -> !left.contains(x)).toList();
        assertEquals(String.join("\n\n", onlyLeft), String.join("\n\n", onlyRight), what);
        assertEquals(a, b, what);
    }

    /**
     * The API without what the README documents SQLite to give differently: no enum type (the
     * gender enum's own types and the gender fields), and the types of view columns computed by
     * an expression (SQLite declares none: they are String), here the two views' types.
     */
    private static String withoutGender(String api) {
        List<String> kept = new ArrayList<>();
        for (String block : api.split("\n\n")) {
            boolean view = block.lines().anyMatch(l -> l.matches("(type|input) (CurrentDeptEmp|DeptEmpLatestDate)\\w* \\{"));
            if (!view && !block.contains("EmployeeGender {") && !block.contains("EmployeeGenderFilter {")) {
                List<String> lines = new ArrayList<>(block.lines().filter(l -> !l.contains("gender")).toList());
                for (int i = lines.size() - 1; i > 0; i--) {   // the views' dates are text on SQLite: no truncate argument there
                    if (lines.get(i).matches("\\s*truncate: (CurrentDeptEmp|DeptEmpLatestDate)Truncate,?")) {
                        lines.remove(i);
                        lines.remove(i - 1);
                        i--;
                    }
                }
                kept.add(String.join("\n", lines));
            }
        }
        return String.join("\n\n", kept);
    }

    private static String q(TestDb db, String table) {
        return db == TestDb.MARIADB ? "`" + table + "`" : "\"" + table + "\"";
    }
}
