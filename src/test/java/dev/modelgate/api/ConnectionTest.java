package dev.modelgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.auth.Principal;
import dev.modelgate.ir.FieldPlan;
import dev.modelgate.sql.Translation;
import dev.modelgate.support.Explain;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.Plans;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cursor connections ({@code <plural>Connection}, {@code <relation>Connection}) on every
 * database: paging forward and backward through an order with NULLs and duplicates, with rows
 * inserted and deleted between pages, never skips or repeats a row; cursors of another order,
 * or edited, are refused; totalCount costs a statement only when asked for; a relation's pages
 * are one statement per level; a page deep in a large table is an index range (EXPLAIN).
 */
class ConnectionTest {
    static final String SDL = """
            type Item @model(table: "items") @allow(role: "clerk", read: {score: {lt: 5}}) {
              id: Int! @id
              score: Int
              label: String
              boxId: Int!
              box: Box! @belongsTo(key: "boxId")
            }
            type Box @model(table: "boxes") @allow(role: "clerk", read: {}) {
              id: Int! @id
              items: [Item!]! @hasMany(key: "boxId")
            }
            """;

    record Item(int id, Integer score, String label, int box) {
    }

    static List<Item> items(int from, int to) {
        List<Item> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(new Item(i, i % 5 == 0 ? null : (i * 7) % 6, i % 3 == 0 ? null : "l" + (i % 4), i % 3 + 1));
        }
        return out;
    }

    static Fixture boxes(TestDb db) {
        Fixture f = Fixture.on(db, SDL);
        f.sql("INSERT INTO boxes (id) VALUES (1), (2), (3)");
        insert(f, items(1, 40));
        return f;
    }

    static void insert(Fixture f, List<Item> items) {
        StringBuilder sql = new StringBuilder("INSERT INTO items (id, score, label, box_id) VALUES ");
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            sql.append(i > 0 ? ", " : "").append("(").append(it.id()).append(", ").append(it.score()).append(", ")
                    .append(it.label() == null ? "NULL" : "'" + it.label() + "'").append(", ").append(it.box()).append(")");
        }
        f.sql(sql.toString());
    }

    /** The order each orderBy means: NULLs as the direction says (ASC: last, DESC: first), then the key in the first term's direction. */
    static Comparator<Item> order(String orderBy) {
        return switch (orderBy) {
            case "[{score: ASC}]" -> Comparator.comparing(Item::score, Comparator.nullsLast(Comparator.<Integer>naturalOrder())).thenComparing(Item::id);
            case "[{score: DESC}]" -> Comparator.comparing(Item::score, Comparator.nullsFirst(Comparator.<Integer>reverseOrder()))
                    .thenComparing(Comparator.comparing(Item::id).reversed());
            case "[{score: ASC_NULLS_FIRST}]" -> Comparator.comparing(Item::score, Comparator.nullsFirst(Comparator.<Integer>naturalOrder())).thenComparing(Item::id);
            case "[{label: DESC_NULLS_LAST}, {score: ASC}]" -> Comparator.comparing(Item::label, Comparator.nullsLast(Comparator.<String>reverseOrder()))
                    .thenComparing(Item::score, Comparator.nullsLast(Comparator.<Integer>naturalOrder()))
                    .thenComparing(Comparator.comparing(Item::id).reversed());
            case "[{id: DESC}]" -> Comparator.comparing(Item::id).reversed();
            default -> throw new IllegalArgumentException(orderBy);
        };
    }

    static final List<String> ORDERS = List.of("[{score: ASC}]", "[{score: DESC}]", "[{score: ASC_NULLS_FIRST}]",
            "[{label: DESC_NULLS_LAST}, {score: ASC}]", "[{id: DESC}]");

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void pagingForwardAndBackwardVisitsEveryRowOnceInOrder(TestDb db) {
        try (Fixture f = boxes(db)) {
            for (String orderBy : ORDERS) {
                List<Integer> want = items(1, 40).stream().sorted(order(orderBy)).map(Item::id).toList();
                List<Integer> forward = new ArrayList<>();
                String after = null;
                boolean more = true;
                int pages = 0;
                while (more) {
                    JsonNode c = f.data("query($after: String) { itemsConnection(orderBy: " + orderBy + ", first: 7, after: $after)"
                            + " { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }",
                            vars("after", after)).get("itemsConnection");
                    JsonNode edges = c.get("edges");
                    edges.forEach(e -> forward.add(e.get("node").get("id").asInt()));
                    assertEquals(pages > 0, c.get("pageInfo").get("hasPreviousPage").asBoolean());
                    if (edges.size() > 0) {
                        assertEquals(edges.get(0).get("cursor").asText(), c.get("pageInfo").get("startCursor").asText());
                        assertEquals(edges.get(edges.size() - 1).get("cursor").asText(), c.get("pageInfo").get("endCursor").asText());
                    }
                    more = c.get("pageInfo").get("hasNextPage").asBoolean();
                    after = c.get("pageInfo").get("endCursor").asText();
                    pages++;
                }
                assertEquals(want, forward, orderBy);
                assertEquals(6, pages, "40 rows, 7 a page: the sixth page has 5 and says no more follow");
                List<Integer> backward = new ArrayList<>();
                String before = null;
                more = true;
                while (more) {
                    JsonNode c = f.data("query($before: String) { itemsConnection(orderBy: " + orderBy + ", last: 7, before: $before)"
                            + " { nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor } } }", vars("before", before)).get("itemsConnection");
                    List<Integer> page = new ArrayList<>();
                    c.get("nodes").forEach(n -> page.add(n.get("id").asInt()));
                    backward.addAll(0, page);   // each page comes in the forward order
                    assertEquals(before != null, c.get("pageInfo").get("hasNextPage").asBoolean());
                    more = c.get("pageInfo").get("hasPreviousPage").asBoolean();
                    before = c.get("pageInfo").get("startCursor").asText();
                }
                assertEquals(want, backward, orderBy + " backward");
            }
        }
    }

    private static Map<String, Object> vars(String name, Object value) {
        Map<String, Object> v = new HashMap<>();
        v.put(name, value);
        return v;
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void rowsInsertedAndDeletedBetweenPagesNeitherSkipNorRepeatTheOthers(TestDb db) {
        try (Fixture f = boxes(db)) {
            String orderBy = "[{score: ASC}]";
            String q = "query($after: String) { itemsConnection(orderBy: " + orderBy + ", first: 9, after: $after)"
                    + " { nodes { id } pageInfo { hasNextPage endCursor } } }";
            JsonNode first = f.data(q, vars("after", null)).get("itemsConnection");
            Set<Integer> seen = new HashSet<>();
            first.get("nodes").forEach(n -> seen.add(n.get("id").asInt()));
            int lastSeen = first.get("nodes").get(8).get("id").asInt();
            // between pages: a row already seen and one not yet seen are deleted, rows go in before and after the cursor
            List<Item> all = new ArrayList<>(items(1, 40));
            Item notYet = all.stream().sorted(order(orderBy)).toList().get(20);
            f.sql("DELETE FROM items WHERE id IN (" + lastSeen + ", " + notYet.id() + ")");
            List<Item> added = List.of(new Item(101, 0, "new", 1), new Item(102, 3, "new", 2), new Item(103, null, "new", 3));
            insert(f, added);
            all.removeIf(i -> i.id() == lastSeen || i.id() == notYet.id());
            all.addAll(added);
            List<Integer> rest = new ArrayList<>();
            String after = first.get("pageInfo").get("endCursor").asText();
            boolean more = true;
            while (more) {
                JsonNode c = f.data(q, vars("after", after)).get("itemsConnection");
                c.get("nodes").forEach(n -> rest.add(n.get("id").asInt()));
                more = c.get("pageInfo").get("hasNextPage").asBoolean();
                after = c.get("pageInfo").get("endCursor").asText();
            }
            Item cursorRow = items(lastSeen, lastSeen).get(0);
            List<Integer> want = all.stream().sorted(order(orderBy)).filter(i -> order(orderBy).compare(i, cursorRow) > 0).map(Item::id).toList();
            assertEquals(want, rest, "every row after the cursor, as the table is now, once");
            rest.forEach(id -> assertFalse(seen.contains(id), "row " + id + " came twice"));
            assertTrue(rest.contains(101) || order(orderBy).compare(added.get(0), cursorRow) < 0);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aCursorOfAnotherOrderOrEditedIsRefused(TestDb db) {
        try (Fixture f = boxes(db)) {
            String cursor = f.data("{ itemsConnection(orderBy: [{score: ASC}], first: 2) { pageInfo { endCursor } } }")
                    .get("itemsConnection").get("pageInfo").get("endCursor").asText();
            Map<String, Object> other = f.run("query($c: String) { itemsConnection(orderBy: [{score: DESC}], first: 2, after: $c) { nodes { id } } }",
                    vars("c", cursor));
            assertEquals("BAD_USER_INPUT", Fixture.codeOf(other));
            assertTrue(other.get("errors").toString().contains("another orderBy"), other.toString());
            assertEquals("BAD_USER_INPUT", f.errorCode("query($c: String) { itemsConnection(first: 2, before: $c) { nodes { id } } }", vars("c", cursor)));
            char[] edited = cursor.toCharArray();
            edited[edited.length / 2] = edited[edited.length / 2] == 'A' ? 'B' : 'A';
            for (String bad : List.of(new String(edited), "not a cursor", "", cursor + "x")) {
                Map<String, Object> r = f.run("query($c: String) { itemsConnection(orderBy: [{score: ASC}], first: 2, after: $c) { nodes { id } } }",
                        vars("c", bad));
                assertEquals("BAD_USER_INPUT", Fixture.codeOf(r), bad);
                assertTrue(r.get("errors").toString().contains("is not a cursor"), r.toString());
            }
            assertNotEquals(cursor, new String(edited));
            assertEquals("BAD_USER_INPUT", f.errorCode("{ itemsConnection(first: 1, last: 1) { nodes { id } } }", Map.of()));
            assertEquals("BAD_USER_INPUT", f.errorCode("{ itemsConnection(orderBy: [{box: {id: ASC}}], first: 1) { nodes { id } } }", Map.of()));
            assertEquals("BAD_USER_INPUT", f.errorCode("{ itemsConnection(first: -1) { nodes { id } } }", Map.of()));
            dev.modelgate.config.Config.Limits ten = new dev.modelgate.config.Config.Limits();
            ten.maxRows = 10;
            f.limits(ten);
            assertEquals("QUERY_TOO_COMPLEX", f.errorCode("{ itemsConnection(first: 11) { nodes { id } } }", Map.of()));
            JsonNode capped = f.data("{ itemsConnection { nodes { id } pageInfo { hasNextPage } } }").get("itemsConnection");
            assertEquals(10, capped.get("nodes").size(), "no first: a page of the row cap");
            assertTrue(capped.get("pageInfo").get("hasNextPage").asBoolean());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void totalCountIsCountedOnlyWhenAskedFor(TestDb db) {
        try (Fixture f = boxes(db)) {
            assertEquals(1, f.statements(() -> f.data("{ itemsConnection(first: 3) { nodes { id } } }")).size());
            JsonNode[] c = new JsonNode[1];
            assertEquals(2, f.statements(() -> c[0] = f.data("{ itemsConnection(first: 3, where: {score: {isNull: false}}) { totalCount nodes { id } } }")).size());
            assertEquals(items(1, 40).stream().filter(i -> i.score() != null).count(), c[0].get("itemsConnection").get("totalCount").asLong());
            Principal clerk = new Principal("clerk", Map.of("role", "clerk"));
            JsonNode mine = Fixture.dataOf(f.runAs(clerk, "{ itemsConnection(first: 100) { totalCount nodes { id score } } }", Map.of()));
            long readable = items(1, 40).stream().filter(i -> i.score() != null && i.score() < 5).count();
            assertEquals(readable, mine.get("itemsConnection").get("totalCount").asLong());
            assertEquals(readable, mine.get("itemsConnection").get("nodes").size());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aRelationsPagesArePerParentAndOneStatementPerLevel(TestDb db) {
        try (Fixture f = boxes(db)) {
            JsonNode[] data = new JsonNode[1];
            List<String> statements = f.statements(() -> data[0] = f.data("{ boxes { id itemsConnection(orderBy: [{score: DESC}], first: 4)"
                    + " { totalCount edges { cursor node { id box { id } } } pageInfo { hasNextPage endCursor } } } }"));
            assertEquals(4, statements.size(), "boxes, their pages, their counts, the items' boxes: " + statements);
            for (JsonNode box : data[0].get("boxes")) {
                int id = box.get("id").asInt();
                List<Integer> want = items(1, 40).stream().filter(i -> i.box() == id).sorted(order("[{score: DESC}]")).map(Item::id).toList();
                JsonNode c = box.get("itemsConnection");
                List<Integer> got = new ArrayList<>();
                c.get("edges").forEach(e -> {
                    got.add(e.get("node").get("id").asInt());
                    assertEquals(id, e.get("node").get("box").get("id").asInt());
                });
                assertEquals(want.subList(0, 4), got);
                assertEquals(want.size(), c.get("totalCount").asInt());
                assertTrue(c.get("pageInfo").get("hasNextPage").asBoolean());
                // the next page of this box, from its cursor
                JsonNode next = f.data("query($a: String) { boxes(where: {id: {eq: " + id + "}}) { itemsConnection(orderBy: [{score: DESC}], first: 4, after: $a)"
                        + " { nodes { id } } } }", vars("a", c.get("pageInfo").get("endCursor").asText())).get("boxes").get(0).get("itemsConnection");
                List<Integer> second = new ArrayList<>();
                next.get("nodes").forEach(n -> second.add(n.get("id").asInt()));
                assertEquals(want.subList(4, 8), second);
            }
        }
    }

    /** A page past row 40,000 of 50,000 is an index range on MariaDB and PostgreSQL: no full scan, no sort. */
    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"MARIADB", "POSTGRESQL"})
    void aPageDeepInALargeTableReadsTheIndex(TestDb db) throws Exception {
        String sdl = """
                type Reading @model(table: "readings") {
                  id: Int! @id
                  score: Int! @index
                }
                """;
        try (Fixture f = Fixture.on(db, sdl)) {
            String numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) ";
            f.sql(db == TestDb.MARIADB ? "SET SESSION max_recursive_iterations = 100000" : "SELECT 1",
                    "INSERT INTO readings (id, score) " + numbers + "SELECT i, MOD(i * 31, 5000) FROM n");
            f.sql(db == TestDb.MARIADB ? "ANALYZE TABLE readings" : "ANALYZE readings");
            Plans plans = new Plans(f.models, 10000);
            var renderer = new Translation(f.models, f.db.dialect()).reads();
            for (String orderBy : List.of("[{id: ASC}]", "[{score: ASC}]", "[{score: DESC}]")) {
                // the cursor of the 40,000th row, as the API gives it
                String cursor = f.data("query($a: String) { readingsConnection(orderBy: " + orderBy + ", first: 1, after: $a) { pageInfo { endCursor } } }",
                        vars("a", cursorAt(f, orderBy, 39999))).get("readingsConnection").get("pageInfo").get("endCursor").asText();
                FieldPlan.Connection c = (FieldPlan.Connection) plans.plan("query($a: String) { readingsConnection(orderBy: " + orderBy
                        + ", first: 20, after: $a) { nodes { id score } } }", vars("a", cursor), null, Map.of()).get(0);
                String plan = Explain.plan(db, f, renderer.select(c.select()));
                System.out.printf("EXPLAIN keyset page on %s, %s: %s%n", db, orderBy, plan);
                if (db == TestDb.MARIADB) {
                    assertFalse(plan.contains("type=ALL"), plan);
                    assertFalse(plan.toLowerCase().contains("filesort"), plan);
                } else {
                    assertFalse(plan.contains("Seq Scan"), plan);
                    // no sort of the rows read; an order by a column with duplicates is completed by the key
                    // in PostgreSQL's incremental sort, within each value, over the index read in order
                    assertFalse(plan.matches("(?s).*(?<!Incremental )Sort  \\(cost.*"), plan);
                    assertTrue(plan.contains("Index"), plan);
                }
                JsonNode page = f.data("query($a: String) { readingsConnection(orderBy: " + orderBy + ", first: 20, after: $a) { nodes { id } } }",
                        vars("a", cursor)).get("readingsConnection").get("nodes");
                assertEquals(20, page.size());
            }
        }
    }

    /** The cursor of the row at {@code index} of an order, taken by paging the API itself in large pages. */
    private static String cursorAt(Fixture f, String orderBy, int index) {
        String after = null;
        int at = 0;
        while (true) {
            int step = Math.min(10000, index - at);
            if (step == 0) {
                return after;
            }
            after = f.data("query($a: String) { readingsConnection(orderBy: " + orderBy + ", first: " + step + ", after: $a) { pageInfo { endCursor } } }",
                    vars("a", after)).get("readingsConnection").get("pageInfo").get("endCursor").asText();
            at += step;
        }
    }
}
