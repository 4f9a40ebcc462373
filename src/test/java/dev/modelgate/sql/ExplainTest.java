package dev.modelgate.sql;

import dev.modelgate.ir.FieldPlan;
import dev.modelgate.ir.Partition;
import dev.modelgate.ir.Select;
import dev.modelgate.support.Explain;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.Plans;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ordered and keyed scans use the index: the statements the planner renders for a page of
 * cities with their states, and the cities of a page of states, are EXPLAINed on the live
 * databases (10,000 cities, 20,000 states): the page reads the primary key in order, the
 * batches read by key, and on MariaDB and SQLite the cities of many states come in order from
 * the foreign key's index, with no sort.
 */
class ExplainTest {
    static final String QUERY = "{ cities(orderBy: {id: ASC}, limit: 200) { id name state { name } } }";

    @ParameterizedTest
    @EnumSource(value = TestDb.class)
    void aPageOfCitiesAndTheirStatesReadsThePrimaryKeyInOrder(TestDb db) throws Exception {
        try (Fixture f = world(db, 20000, 10000, "MOD(i * 7, 20000) + 1")) {
            Plans plans = new Plans(f.models, 10000);
            SelectRenderer renderer = new Translation(f.models, f.db.dialect()).reads();
            FieldPlan.Rows cities = (FieldPlan.Rows) plans.plan(QUERY).get(0);
            FieldPlan.Related state = (FieldPlan.Related) cities.children().get(2);
            Select s = state.select();
            List<Object> parents = new ArrayList<>();   // the states of a page of cities: a few of the 20,000
            for (int i = 1; i <= 30; i++) {
                parents.add(i * 7 % 20000 + 1);
            }
            String page = Explain.plan(db, f, renderer.select(cities.select()));
            String batch = Explain.plan(db, f, renderer.select(s.withPartition(new Partition(state.relation(), parents))));
            FieldPlan.Related ofStates = (FieldPlan.Related) ((FieldPlan.Rows) plans.plan("{ states(limit: 30) { cities { name } } }").get(0)).children().get(0);
            Select c = ofStates.select();
            String toMany = Explain.plan(db, f, renderer.select(c.withPartition(new Partition(ofStates.relation(), parents))));
            System.out.printf("EXPLAIN on %s%n  page:  %s%n  batch: %s%n  to-many: %s%n", db, page, batch, toMany);
            switch (db) {
                case MARIADB -> {
                    assertTrue(page.contains("key=PRIMARY"), page);
                    assertFalse(page.toLowerCase().contains("filesort"), page);
                    assertTrue(batch.contains("key=PRIMARY"), batch);
                    assertFalse(batch.toLowerCase().contains("filesort"), batch);
                    assertTrue(toMany.contains("key=ix_cities_state_id"), toMany);
                    assertFalse(toMany.toLowerCase().contains("filesort"), "the foreign key's index gives the order: " + toMany);
                }
                case POSTGRESQL -> {
                    assertTrue(page.contains("Index Scan using cities_pkey"), page);
                    assertFalse(page.contains("Sort"), page);
                    assertTrue(batch.contains("states_pkey"), batch);
                    assertFalse(batch.contains("Sort"), batch);
                }
                case SQLITE -> {
                    assertFalse(page.contains("TEMP B-TREE"), page);
                    assertTrue(batch.contains("PRIMARY KEY") || batch.contains("INTEGER PRIMARY KEY"), batch);
                    assertTrue(toMany.contains("ix_cities_state_id"), toMany);
                    assertFalse(toMany.contains("TEMP B-TREE"), "the foreign key's index gives the order: " + toMany);
                }
                case H2 -> {
                    assertTrue(page.contains("PRIMARY_KEY"), page);
                    assertTrue(page.contains("index sorted"), page);
                    assertTrue(batch.contains("PRIMARY_KEY"), batch);
                }
            }
        }
    }

    /**
     * A live query's variable sets as one statement: each root member keeps its own ORDER BY and
     * LIMIT inside, so each still reads the primary key in order; only the union's few rows are
     * sorted, by set and row number.
     */
    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"MARIADB", "POSTGRESQL", "SQLITE"})
    void aUnionOfVariableSetsReadsEachPageByTheIndex(TestDb db) throws Exception {
        try (Fixture f = world(db, 100, 50000, "MOD(i, 100) + 1")) {
            Plans plans = new Plans(f.models, 10000);
            SelectRenderer renderer = new Translation(f.models, f.db.dialect()).reads();
            List<Fragment> members = new ArrayList<>();
            for (int set = 0; set < 3; set++) {   // three variable sets: pages of 5, 10 and 15 from the end
                Select page = ((FieldPlan.Rows) plans.plan("{ cities(orderBy: {id: DESC}, limit: " + (5 * (set + 1)) + ") { id name } }").get(0)).select();
                members.add(renderer.member(page, set));
            }
            String plan = Explain.plan(db, f, renderer.union(members, 0));
            System.out.printf("EXPLAIN of a union of 3 variable sets on %s:%n  %s%n", db, plan);
            switch (db) {
                case MARIADB -> {
                    assertEquals(3, plan.split("key=PRIMARY", -1).length - 1, "each member reads the primary key: " + plan);
                    assertFalse(plan.contains("table=t0 type=ALL"), "no member scans the table unordered: " + plan);
                    assertEquals(3, plan.split("table=t0 type=index", -1).length - 1, "each member walks the index in order (LIMIT stops it): " + plan);
                }
                case POSTGRESQL -> {
                    assertEquals(3, plan.split("Index Scan Backward using cities_pkey", -1).length - 1, "each member reads the key backward: " + plan);
                    assertFalse(plan.contains("Seq Scan on cities"), plan);
                }
                case SQLITE -> {
                    assertEquals(3, plan.split("detail=SCAN t0", -1).length - 1, "each member reads the table in key (rowid) order: " + plan);
                    assertEquals(1, plan.split("TEMP B-TREE", -1).length - 1, "no member sorts; only the union's few rows are: " + plan);
                    assertTrue(plan.replaceAll("[|\\s]+$", "").endsWith("parent=0 notused=0 detail=USE TEMP B-TREE FOR ORDER BY"), plan);
                }
                default -> {
                }
            }
        }
    }

    /** The world models with {@code states} states and {@code cities} cities (city i in state {@code stateOf}), analyzed. */
    private static Fixture world(TestDb db, int states, int cities, String stateOf) throws Exception {
        Fixture f = Fixture.on(db, Files.readString(Path.of("schema/world.graphqls")));
        String numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) ";
        f.sql(db == TestDb.MARIADB ? "SET SESSION max_recursive_iterations = 100000" : "SELECT 1",
                "INSERT INTO states (id, name) " + numbers.formatted(states) + "SELECT i, " + concat(db, "'State '", "i") + " FROM n",
                "INSERT INTO cities (id, name, state_id) " + numbers.formatted(cities) + "SELECT i, "
                        + concat(db, "'City '", "i") + ", " + stateOf + " FROM n");
        analyze(db, f);
        return f;
    }

    private static String concat(TestDb db, String a, String b) {
        return switch (db) {
            case MARIADB -> "CONCAT(" + a + ", " + b + ")";
            default -> a + " || " + b;
        };
    }

    private static void analyze(TestDb db, Fixture f) {
        switch (db) {
            case MARIADB -> f.sql("ANALYZE TABLE cities", "ANALYZE TABLE states");
            case POSTGRESQL -> f.sql("ANALYZE cities", "ANALYZE states");
            case SQLITE -> f.sql("ANALYZE");
            default -> {
            }
        }
    }
}
