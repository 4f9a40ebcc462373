package dev.modelgate.support;

import dev.modelgate.db.Database;
import dev.modelgate.db.DbUrl;
import dev.modelgate.db.Introspector;
import dev.modelgate.db.SchemaSetup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.modelgate.exec.Gateway;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A gateway over models given as SDL (or read from a database), on a fresh database, with helpers to query and count statements. */
public final class Fixture implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public final TestDb kind;
    public final Models models;
    public final Database db;
    public Gateway gateway;
    private final TestDb.Created created;
    /** What introspection read, for a fixture made by {@link #introspected}. */
    public Introspector.Result introspection;

    private Fixture(TestDb kind, Models models, TestDb.Created created, Database db) {
        this.kind = kind;
        this.models = models;
        this.created = created;
        this.db = db;
        this.gateway = new Gateway(models, db);
    }

    private static Database open(TestDb.Created created) {
        return Database.open(DbUrl.parse(created.url(), created.user(), null));
    }

    public static Fixture sqlite(String sdl) {
        return on(TestDb.SQLITE, sdl);
    }

    /** The models, with their tables created, in a fresh database of the given kind. */
    public static Fixture on(TestDb kind, String sdl) {
        return on(kind, ModelParser.parse(List.of(new ModelParser.Source("test.graphqls", sdl))), null);
    }

    /** The models, with their tables created and the mapper XML files of {@code mappers} loaded. */
    public static Fixture on(TestDb kind, Models models, Path mappers) {
        TestDb.Created created = kind.create();
        Database db = open(created);
        try {
            SchemaSetup.createMissingTables(db, models);
            db.loadMappers(mappers);
            return new Fixture(kind, models, created, db);
        } catch (RuntimeException e) {
            db.close();
            created.drop().run();
            throw e;
        }
    }

    /** A gateway over the models introspected from a fresh database made by {@code ddl}, and what introspection skipped. */
    public static Fixture introspected(TestDb kind, String... ddl) {
        TestDb.Created created = kind.create();
        Database db = open(created);
        db.executeAll(Arrays.asList(ddl));
        Introspector.Result result = Introspector.read(db);
        Fixture f = new Fixture(kind, result.models(), created, db);
        f.introspection = result;
        return f;
    }

    /** The database's address, for tools that open connections of their own (Flyway). */
    public dev.modelgate.db.DbUrl url() {
        return new dev.modelgate.db.DbUrl(created.url(), created.user(), null);
    }

    /** A DateTime literal for test-data SQL on this database. */
    public String timestamp(String iso) {
        java.time.OffsetDateTime t = java.time.OffsetDateTime.parse(iso).withOffsetSameInstant(java.time.ZoneOffset.UTC);
        return switch (kind) {
            case SQLITE -> "'" + t.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")) + "'";
            case MARIADB -> "'" + t.toLocalDateTime().toString().replace('T', ' ') + "'";
            case POSTGRESQL, H2 -> "'" + t + "'";
        };
    }

    /** After test data with explicit keys: make generated keys continue after the largest one. */
    public Fixture resetKeys() {
        SchemaSetup.restartIdentities(db, models);
        return this;
    }

    /** Runs SQL statements (test data) in one transaction. */
    public Fixture sql(String... statements) {
        db.executeAll(Arrays.asList(statements));
        return this;
    }

    public Map<String, Object> run(String query) {
        return run(query, Map.of());
    }

    public Map<String, Object> run(String query, Map<String, Object> variables) {
        return gateway.execute(new Gateway.Request(query, variables, null));
    }

    /** A new gateway over the same models and database, with these limits. */
    public Fixture limits(dev.modelgate.config.Config.Limits limits) {
        gateway = new Gateway(models, db, dev.modelgate.exec.Telemetry.none(), limits);
        return this;
    }

    /** Runs a request as a role with session variables. */
    public Map<String, Object> runAs(dev.modelgate.auth.Principal who, String query, Map<String, Object> variables) {
        return gateway.execute(new Gateway.Request(query, variables, null, who));
    }

    /** The first error's extensions.code of a response (fails when there is none). */
    @SuppressWarnings("unchecked")
    public static String codeOf(Map<String, Object> result) {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) result.get("errors");
        if (errors == null || errors.isEmpty()) {
            throw new AssertionError("expected an error, got " + result);
        }
        return (String) ((Map<String, Object>) errors.get(0).get("extensions")).get("code");
    }

    /** A response's data as JSON, failing on errors. */
    public static JsonNode dataOf(Map<String, Object> result) {
        assertNull(result.get("errors"), () -> "unexpected errors: " + result.get("errors"));
        try {
            return JSON.readTree(JSON.writeValueAsString(result.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a query that must succeed and returns its data as JSON. */
    public JsonNode data(String query) {
        return data(query, Map.of());
    }

    public JsonNode data(String query, Map<String, Object> variables) {
        return dataOf(run(query, variables));   // through the wire format, as a client sees it
    }

    /** The first error's extensions.code. */
    public String errorCode(String query, Map<String, Object> variables) {
        return codeOf(run(query, variables));
    }

    /** Rows of a query run directly over JDBC (column label → the driver's value), to compare the gateway's answers with. */
    public List<Map<String, Object>> query(String sql) {
        try (java.sql.Connection c = db.dataSource().getConnection();
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            List<Map<String, Object>> out = new ArrayList<>();
            java.sql.ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one number a direct SQL query answers (a count). */
    public long number(String sql) {
        return ((Number) query(sql).get(0).values().iterator().next()).longValue();
    }

    /** The SQL statements a piece of work ran. */
    public List<String> statements(Runnable work) {
        List<String> seen = new ArrayList<>();
        Runnable stop = db.observer().listen(seen::add);
        try {
            work.run();
        } finally {
            stop.run();
        }
        return seen;
    }

    /** Every one of {@code lines} appears in {@code text} (model definitions read by introspection). */
    public static void assertLines(String text, List<String> lines) {
        for (String line : lines) {
            if (!text.contains(line)) {
                throw new AssertionError("missing «" + line + "» in\n" + text);
            }
        }
    }

    /** JSON equality where numbers compare by value (18 = 18.0, and within 1e-9 relative for floats). */
    public static void assertJson(String expected, JsonNode actual) {
        JsonNode want;
        try {
            want = JSON.readTree(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!want.equals(Fixture::compareValues, actual)) {
            throw new AssertionError("expected " + want + "\n but got " + actual);
        }
    }

    private static int compareValues(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x)) ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
    }

    @Override
    public void close() {
        db.close();
        created.drop().run();
    }
}
