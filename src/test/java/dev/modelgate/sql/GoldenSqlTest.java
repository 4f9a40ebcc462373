package dev.modelgate.sql;

import dev.modelgate.ir.Aggregate;
import dev.modelgate.ir.FieldPlan;
import dev.modelgate.ir.Partition;
import dev.modelgate.ir.Select;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.support.Plans;
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
 * Golden SQL, no database needed: each file in {@code src/test/resources/golden/sql} holds a
 * GraphQL operation on the demo models (and the role it runs as) and, for each of SQLite,
 * MySQL, PostgreSQL and H2, the statements its plan renders with their parameters, one per
 * line, in plan order (a relationship level rendered for parent keys [1, 2]); as PostGraphile's
 * __tests__/queries keep query and SQL side by side. After a deliberate change of the SQL, run
 * with {@code -Dgolden.update=true} to rewrite the files, and read the diff before committing it.
 */
class GoldenSqlTest {
    static final Path DIR = Path.of("src/test/resources/golden/sql");
    static final List<String> DIALECTS = List.of("sqlite", "mysql", "postgresql", "h2");
    static final List<Object> PARENT_KEYS = List.of(1, 2);

    @TestFactory
    Stream<DynamicTest> everyCaseRendersItsGoldenSql() throws IOException {
        Models models = ModelParser.parse(Path.of("schema"));
        Plans plans = new Plans(models, 10000);
        List<Path> files;
        try (var s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no golden cases in " + DIR);
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(plans, models, file)));
    }

    private static void check(Plans plans, Models models, Path file) throws IOException {
        Case c = Case.read(Files.readString(file));
        List<FieldPlan> plan = plans.plan(c.query(), Map.of(), c.role(), c.session());
        Map<String, List<String>> actual = new LinkedHashMap<>();
        for (String dialect : DIALECTS) {
            actual.put(dialect, render(new SelectRenderer(models, Dialects.byName(dialect)), plan));
        }
        Case rendered = new Case(c.query(), c.role(), c.session(), actual);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, rendered.write());
            return;
        }
        assertEquals(c.write(), rendered.write(), file.toString());
    }

    /** Every statement of a plan, depth first, as "SQL [params]"; a refused field as its error. */
    static List<String> render(SelectRenderer r, List<FieldPlan> plan) {
        List<String> out = new ArrayList<>();
        for (FieldPlan p : plan) {
            Fragment f = null;
            if (p instanceof FieldPlan.Rows rows) {
                f = r.select(rows.select());
            } else if (p instanceof FieldPlan.Aggregates a) {
                f = r.aggregate(a.aggregate());
            } else if (p instanceof FieldPlan.Related rel) {
                Select s = rel.select();
                f = r.select(new Select(s.model(), s.where(), s.orderBy(), s.limit(), s.offset(), new Partition(rel.relation(), PARENT_KEYS)));
            } else if (p instanceof FieldPlan.RelatedAggregates ra) {
                Aggregate a = ra.aggregate();
                f = r.aggregate(new Aggregate(a.model(), a.where(), a.terms(), new Partition(ra.relation(), PARENT_KEYS)));
            } else if (p instanceof FieldPlan.Failed failed) {
                out.add("-- refused: " + failed.error().code() + ": " + failed.error().getMessage());
            }
            if (f != null) {
                out.add(f.sql() + " " + f.params());
            }
            out.addAll(render(r, p.children()));
        }
        return out;
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
