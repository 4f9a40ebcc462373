package dev.modelgate.sql;

import dev.modelgate.auth.Principal;
import dev.modelgate.db.SchemaSetup;
import dev.modelgate.model.ModelParser;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden SQL: each file in {@code src/test/resources/golden/sql} holds a GraphQL operation on the
 * demo models (and the role it runs as) and, for each of SQLite, MySQL (MariaDB), PostgreSQL and
 * H2, the statements it sends with their parameters, one per line, in the order they run, then the
 * errors it answers with. The statements are recorded from the executor itself, running the
 * operation on a freshly seeded demo database of each kind, so a golden file shows exactly what
 * each database receives: the statement that runs, never one rendered by the test. As
 * PostGraphile's __tests__/queries keep query and SQL side by side. After a deliberate change of
 * the SQL, run with {@code -Dgolden.update=true} to rewrite the files, and read the diff before
 * committing it.
 */
class GoldenSqlTest {
    static final Path DIR = Path.of("src/test/resources/golden/sql");
    static final Map<String, TestDb> DIALECTS = new LinkedHashMap<>();

    static {
        DIALECTS.put("sqlite", TestDb.SQLITE);
        DIALECTS.put("mysql", TestDb.MARIADB);
        DIALECTS.put("postgresql", TestDb.POSTGRESQL);
        DIALECTS.put("h2", TestDb.H2);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseSendsItsGoldenSql() throws IOException {
        List<Path> files;
        try (var s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no golden cases in " + DIR);
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
    }

    private static void check(Path file) throws Exception {
        Case c = Case.read(Files.readString(file));
        Map<String, List<String>> actual = new LinkedHashMap<>();
        for (Map.Entry<String, TestDb> d : DIALECTS.entrySet()) {
            actual.put(d.getKey(), sent(d.getValue(), c));
        }
        Case recorded = new Case(c.query(), c.role(), c.session(), actual);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, recorded.write());
            return;
        }
        assertEquals(c.write(), recorded.write(), file.toString());
    }

    /** What the operation sends to a seeded demo database of this kind, "SQL [params]" per statement, then its errors. */
    @SuppressWarnings("unchecked")
    static List<String> sent(TestDb db, Case c) throws Exception {
        try (Fixture f = Fixture.on(db, ModelParser.parse(Path.of("schema")), Path.of("mappers"))) {
            SchemaSetup.seed(f.db, Path.of("schema/seed.sql"));
            SchemaSetup.restartIdentities(f.db, f.models);
            List<String> out = new ArrayList<>();
            Runnable stop = f.db.observer().listenWithParameters((sql, params) -> out.add(sql + " " + params));
            Map<String, Object> result;
            try {
                result = c.role().equals("admin") ? f.run(c.query())
                        : f.runAs(new Principal(c.role(), c.session()), c.query(), Map.of());
            } finally {
                stop.run();
            }
            for (Map<String, Object> e : (List<Map<String, Object>>) result.getOrDefault("errors", List.of())) {
                out.add("-- error: " + ((Map<String, Object>) e.get("extensions")).get("code") + ": " + e.get("message"));
            }
            return out;
        }
    }

    /** A golden file: the operation, the role (and session values), then the SQL per dialect. */
    record Case(String query, String role, Map<String, Object> session, Map<String, List<String>> sql) {
        static Case read(String text) {
            String query = null;
            String role = "admin";
            Map<String, Object> session = new LinkedHashMap<>();
            Map<String, List<String>> sql = new LinkedHashMap<>();
            List<String> current = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("query: ")) {
                    query = line.substring(7);
                } else if (line.startsWith("role: ")) {
                    role = line.substring(6);
                } else if (line.startsWith("session: ")) {
                    for (String kv : line.substring(9).split(",")) {
                        String[] p = kv.trim().split("=", 2);
                        session.put(p[0], p[1]);
                    }
                } else if (line.startsWith("== ")) {
                    current = new ArrayList<>();
                    sql.put(line.substring(3), current);
                } else if (current != null && !line.isBlank()) {
                    current.add(line);
                }
            }
            return new Case(query, role, session, sql);
        }

        String write() {
            StringBuilder b = new StringBuilder("query: ").append(query).append('\n').append("role: ").append(role).append('\n');
            if (!session.isEmpty()) {
                List<String> kv = new ArrayList<>();
                session.forEach((k, v) -> kv.add(k + "=" + v));
                b.append("session: ").append(String.join(", ", kv)).append('\n');
            }
            sql.forEach((dialect, lines) -> {
                b.append("\n== ").append(dialect).append('\n');
                lines.forEach(l -> b.append(l).append('\n'));
            });
            return b.toString();
        }
    }
}
