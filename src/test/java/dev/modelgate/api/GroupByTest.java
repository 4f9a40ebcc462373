package dev.modelgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.auth.Principal;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Grouping ({@code <plural>GroupBy}, {@code <relation>GroupBy}) on every database: groups,
 * counts and sums against the database's own GROUP BY, date truncation against the calendar,
 * having with and/or/not, ordering by keys and aggregates, paging, one statement per level,
 * the role's row filter applied before grouping, and hidden fields absent from {@code by}.
 */
class GroupByTest {
    static final String SDL = """
            type Shop @model(table: "shops") @allow(role: "clerk", read: {region: {eq: "north"}}) @allow(role: "auditor", read: {}) {
              id: Int! @id
              name: String!
              region: String!
              sales: [Sale!]! @hasMany(key: "shopId")
            }
            type Sale @model(table: "sales") @allow(role: "clerk", read: {amount: {gt: 10}})
                @allow(role: "auditor", read: {}, fields: ["id", "shopId", "shop", "amount", "soldAt"]) {
              id: Int! @id
              shopId: Int!
              shop: Shop! @belongsTo(key: "shopId")
              amount: Int!
              discount: Float
              channel: String
              soldAt: DateTime!
              soldOn: Date!
            }
            """;

    record Sale(int id, int shop, int amount, Double discount, String channel, OffsetDateTime at) {
    }

    /** 240 sales over 4 shops, spread over two years, some without a channel or a discount. */
    static List<Sale> sales() {
        List<Sale> out = new ArrayList<>();
        OffsetDateTime start = OffsetDateTime.of(2023, 12, 30, 22, 15, 0, 0, ZoneOffset.UTC);
        String[] channels = {"web", "store", null, "phone"};
        for (int i = 1; i <= 240; i++) {
            out.add(new Sale(i, i % 4 + 1, (i * 37) % 50 + 1, i % 5 == 0 ? null : (i % 7) / 2.0, channels[i % 4 == 2 ? 2 : (i * 3) % 4],
                    start.plusHours(i * 61L)));
        }
        return out;
    }

    static Fixture shops(TestDb db) {
        Fixture f = Fixture.on(db, SDL);
        f.sql("INSERT INTO shops (id, name, region) VALUES (1, 'One', 'north'), (2, 'Two', 'south'), (3, 'Three', 'north'), (4, 'Four', 'east')");
        StringBuilder insert = new StringBuilder("INSERT INTO sales (id, shop_id, amount, discount, channel, sold_at, sold_on) VALUES ");
        List<Sale> sales = sales();
        for (int i = 0; i < sales.size(); i++) {
            Sale s = sales.get(i);
            insert.append(i > 0 ? ", " : "").append("(").append(s.id()).append(", ").append(s.shop()).append(", ").append(s.amount())
                    .append(", ").append(s.discount()).append(", ").append(s.channel() == null ? "NULL" : "'" + s.channel() + "'")
                    .append(", ").append(f.timestamp(s.at().toString())).append(", '").append(s.at().toLocalDate()).append("')");
        }
        f.sql(insert.toString());
        return f;
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void groupsCountsAndSumsAreTheDatabasesOwn(TestDb db) {
        try (Fixture f = shops(db)) {
            JsonNode groups = f.data("{ salesGroupBy(by: [shopId, channel]) { key { shopId channel } count sum { amount } avg { amount }"
                    + " min { soldAt } max { discount } } }").get("salesGroupBy");
            List<Map<String, Object>> direct = f.query("SELECT shop_id AS s, channel AS c, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS mean,"
                    + " MAX(discount) AS md FROM sales GROUP BY shop_id, channel");
            assertEquals(direct.size(), groups.size());
            // ordered by the keys, ascending, NULLs last
            for (int i = 1; i < groups.size(); i++) {
                JsonNode a = groups.get(i - 1).get("key");
                JsonNode b = groups.get(i).get("key");
                assertTrue(a.get("shopId").asInt() < b.get("shopId").asInt() || a.get("shopId").asInt() == b.get("shopId").asInt()
                        && !a.get("channel").isNull() && (b.get("channel").isNull() || a.get("channel").asText().compareTo(b.get("channel").asText()) < 0),
                        a + " before " + b);
            }
            for (Map<String, Object> row : direct) {
                JsonNode g = find(groups, ((Number) row.get("s")).intValue(), (String) row.get("c"));
                assertEquals(((Number) row.get("n")).intValue(), g.get("count").asInt());
                assertEquals(((Number) row.get("total")).longValue(), g.get("sum").get("amount").asLong());
                assertEquals(((Number) row.get("mean")).doubleValue(), g.get("avg").get("amount").asDouble(), 1e-9);
                if (row.get("md") == null) {
                    assertTrue(g.get("max").get("discount").isNull());
                } else {
                    assertEquals(((Number) row.get("md")).doubleValue(), g.get("max").get("discount").asDouble(), 1e-9);
                }
                assertTrue(g.get("key").has("shopId") && g.get("min").get("soldAt").isTextual());
            }
            // the fields not in by are null in the key
            JsonNode one = f.data("{ salesGroupBy(by: [channel]) { key { channel shopId amount } count } }").get("salesGroupBy");
            assertEquals(4, one.size());
            one.forEach(g -> assertTrue(g.get("key").get("shopId").isNull() && g.get("key").get("amount").isNull()));
            assertEquals(240, sum(one, g -> g.get("count").asInt()));
        }
    }

    private static JsonNode find(JsonNode groups, int shop, String channel) {
        for (JsonNode g : groups) {
            JsonNode k = g.get("key");
            if (k.get("shopId").asInt() == shop && (channel == null ? k.get("channel").isNull() : channel.equals(k.get("channel").asText()))) {
                return g;
            }
        }
        throw new AssertionError("no group " + shop + "/" + channel + " in " + groups);
    }

    private static int sum(JsonNode items, Function<JsonNode, Integer> of) {
        int n = 0;
        for (JsonNode i : items) {
            n += of.apply(i);
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void datesGroupByTheirYearMonthWeekDayOrHourInUtc(TestDb db) {
        try (Fixture f = shops(db)) {
            for (String unit : List.of("YEAR", "MONTH", "WEEK", "DAY", "HOUR")) {
                Map<OffsetDateTime, Integer> want = new TreeMap<>();
                Map<LocalDate, Integer> wantDates = new TreeMap<>();
                for (Sale s : sales()) {
                    want.merge(truncate(s.at(), unit), 1, Integer::sum);
                    wantDates.merge(truncate(s.at(), unit.equals("HOUR") ? "DAY" : unit).toLocalDate(), 1, Integer::sum);
                }
                JsonNode got = f.data("{ salesGroupBy(by: [soldAt], truncate: {soldAt: " + unit + "}) { key { soldAt } count } }").get("salesGroupBy");
                assertEquals(want.size(), got.size(), unit);
                int i = 0;
                for (Map.Entry<OffsetDateTime, Integer> e : want.entrySet()) {
                    JsonNode g = got.get(i++);
                    assertEquals(e.getKey().toInstant(), OffsetDateTime.parse(g.get("key").get("soldAt").asText()).toInstant(), unit);
                    assertEquals(e.getValue(), g.get("count").asInt(), unit + " " + e.getKey());
                }
                JsonNode dates = f.data("{ salesGroupBy(by: [soldOn], truncate: {soldOn: " + unit + "}) { key { soldOn } count } }").get("salesGroupBy");
                assertEquals(wantDates.size(), dates.size(), unit);
                i = 0;
                for (Map.Entry<LocalDate, Integer> e : wantDates.entrySet()) {
                    JsonNode g = dates.get(i++);
                    assertEquals(e.getKey().toString(), g.get("key").get("soldOn").asText(), unit);
                    assertEquals(e.getValue(), g.get("count").asInt(), unit + " " + e.getKey());
                }
            }
        }
    }

    static OffsetDateTime truncate(OffsetDateTime t, String unit) {
        OffsetDateTime u = t.withOffsetSameInstant(ZoneOffset.UTC);
        return switch (unit) {
            case "YEAR" -> u.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
            case "MONTH" -> u.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case "WEEK" -> u.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "DAY" -> u.truncatedTo(ChronoUnit.DAYS);
            default -> u.truncatedTo(ChronoUnit.HOURS);
        };
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void havingOrderingAndPaging(TestDb db) {
        try (Fixture f = shops(db)) {
            Map<Integer, int[]> perShop = new TreeMap<>();   // shop → {count, sum}
            for (Sale s : sales()) {
                int[] a = perShop.computeIfAbsent(s.shop(), k -> new int[2]);
                a[0]++;
                a[1] += s.amount();
            }
            JsonNode all = f.data("{ salesGroupBy(by: [shopId], orderBy: [{sum: {amount: DESC}}]) { key { shopId } count sum { amount } } }")
                    .get("salesGroupBy");
            List<Integer> bySum = perShop.entrySet().stream().sorted((a, b) -> b.getValue()[1] - a.getValue()[1]).map(Map.Entry::getKey).toList();
            assertEquals(bySum, ids(all));
            int second = perShop.get(bySum.get(1))[1];
            // having: sum above the second largest, or not more than it and not (count ≥ 60)
            JsonNode having = f.data("{ salesGroupBy(by: [shopId], having: {or: [{sum: {amount: {gt: " + second + "}}},"
                    + " {and: [{sum: {amount: {lte: " + second + "}}}, {not: {count: {gte: 60}}}]}]}) { key { shopId } } }").get("salesGroupBy");
            List<Integer> want = perShop.entrySet().stream().filter(e -> e.getValue()[1] > second || e.getValue()[0] < 60)
                    .map(Map.Entry::getKey).toList();
            assertEquals(want, ids(having));
            JsonNode page = f.data("{ salesGroupBy(by: [shopId], orderBy: [{sum: {amount: DESC}}], limit: 2, offset: 1) { key { shopId } } }")
                    .get("salesGroupBy");
            assertEquals(bySum.subList(1, 3), ids(page));
            JsonNode byKey = f.data("{ salesGroupBy(by: [shopId], orderBy: [{key: {shopId: DESC}}], having: {count: {in: [60]}}) { key { shopId } count } }")
                    .get("salesGroupBy");
            assertEquals(List.of(4, 3, 2, 1), ids(byKey));
            JsonNode nulls = f.data("{ salesGroupBy(by: [channel], having: {max: {discount: {isNull: false}}, min: {channel: {startsWith: \"p\"}}}) { key { channel } } }")
                    .get("salesGroupBy");
            assertEquals(1, nulls.size());
            assertEquals("phone", nulls.get(0).get("key").get("channel").asText());
        }
    }

    private static List<Integer> ids(JsonNode groups) {
        List<Integer> out = new ArrayList<>();
        groups.forEach(g -> out.add(g.get("key").get("shopId").asInt()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aRelationsGroupsArePerParentAndOneStatementPerLevel(TestDb db) {
        try (Fixture f = shops(db)) {
            JsonNode[] data = new JsonNode[1];
            List<String> statements = f.statements(() -> data[0] = f.data("{ shops { id salesGroupBy(by: [channel], orderBy: [{count: DESC}], limit: 2)"
                    + " { key { channel } count } } }"));
            assertEquals(2, statements.size(), "the shops, then the groups of every shop in one statement: " + statements);
            for (JsonNode shop : data[0].get("shops")) {
                int id = shop.get("id").asInt();
                Map<String, Integer> counts = new TreeMap<>();
                sales().stream().filter(s -> s.shop() == id).forEach(s -> counts.merge(String.valueOf(s.channel()), 1, Integer::sum));
                List<Integer> top = counts.values().stream().sorted((a, b) -> b - a).limit(2).toList();
                JsonNode groups = shop.get("salesGroupBy");
                assertEquals(top.size(), groups.size());
                for (int i = 0; i < top.size(); i++) {
                    assertEquals(top.get(i), groups.get(i).get("count").asInt(), "shop " + id);
                    String channel = groups.get(i).get("key").get("channel").isNull() ? "null" : groups.get(i).get("key").get("channel").asText();
                    assertEquals(top.get(i), counts.get(channel));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aRolesGroupsCountOnlyTheRowsItMayRead(TestDb db) {
        try (Fixture f = shops(db)) {
            Principal clerk = new Principal("clerk", Map.of("role", "clerk"));
            JsonNode data = Fixture.dataOf(f.runAs(clerk, "{ salesGroupBy(by: [shopId]) { key { shopId } count sum { amount } }"
                    + " shops { id salesGroupBy(by: [shopId]) { count } } }", Map.of()));
            Map<Integer, int[]> want = new TreeMap<>();
            sales().stream().filter(s -> s.amount() > 10).forEach(s -> {
                int[] a = want.computeIfAbsent(s.shop(), k -> new int[2]);
                a[0]++;
                a[1] += s.amount();
            });
            JsonNode groups = data.get("salesGroupBy");
            assertEquals(want.size(), groups.size());
            for (JsonNode g : groups) {
                int[] a = want.get(g.get("key").get("shopId").asInt());
                assertEquals(a[0], g.get("count").asInt());
                assertEquals(a[1], g.get("sum").get("amount").asInt());
            }
            assertEquals(2, data.get("shops").size(), "the clerk reads the northern shops only");
            for (JsonNode shop : data.get("shops")) {
                assertEquals(want.get(shop.get("id").asInt())[0], shop.get("salesGroupBy").get(0).get("count").asInt());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aFieldHiddenFromARoleIsNoKeyAndNoAggregateOfIt(TestDb db) {
        try (Fixture f = shops(db)) {
            Principal auditor = new Principal("auditor", Map.of("role", "auditor"));
            JsonNode values = Fixture.dataOf(f.runAs(auditor, "{ __type(name: \"SaleField\") { enumValues { name } } }", Map.of()));
            List<String> names = new ArrayList<>();
            values.get("__type").get("enumValues").forEach(v -> names.add(v.get("name").asText()));
            assertEquals(List.of("id", "shopId", "amount", "soldAt"), names);
            for (String q : List.of("{ salesGroupBy(by: [channel]) { count } }", "{ salesGroupBy(by: [shopId]) { max { discount } } }",
                    "{ salesGroupBy(by: [shopId], having: {sum: {discount: {gt: 1}}}) { count } }",
                    "{ salesGroupBy(by: [shopId], orderBy: [{avg: {discount: ASC}}]) { count } }")) {
                Map<String, Object> r = f.runAs(auditor, q, Map.of());
                assertEquals("GRAPHQL_VALIDATION_FAILED", Fixture.codeOf(r), q + " → " + r);
            }
            JsonNode ok = Fixture.dataOf(f.runAs(auditor, "{ salesGroupBy(by: [shopId]) { key { shopId } count sum { amount } } }", Map.of()));
            assertEquals(4, ok.get("salesGroupBy").size());
            // admin still groups by every field
            assertEquals(4, f.data("{ salesGroupBy(by: [channel]) { count } }").get("salesGroupBy").size());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = "SQLITE")
    void mistakesAreBadUserInputThatNamesTheFix(TestDb db) {
        try (Fixture f = shops(db)) {
            Map<String, String> cases = Map.of(
                    "{ salesGroupBy(by: []) { count } }", "salesAggregate",
                    "{ salesGroupBy(by: [amount], truncate: {soldAt: MONTH}) { count } }", "soldAt is not in by",
                    "{ salesGroupBy(by: [amount], orderBy: [{key: {shopId: ASC}}]) { count } }", "shopId is not in by",
                    "{ salesGroupBy(by: [amount], orderBy: [{count: ASC, sum: {amount: ASC}}]) { count } }", "exactly one",
                    "{ salesGroupBy(by: [amount], having: {count: {}}) { count } }", "has no operator");
            cases.forEach((q, says) -> {
                Map<String, Object> r = f.run(q);
                assertEquals("BAD_USER_INPUT", Fixture.codeOf(r), q);
                assertTrue(r.get("errors").toString().contains(says), q + " → " + r.get("errors"));
            });
        }
    }

    /** The demo's cities per state, and 50,000 rows in 7 buckets, against the database's own GROUP BY. */
    @ParameterizedTest
    @EnumSource(TestDb.class)
    void theDemoAndFiftyThousandRowsGroupAsTheDatabaseDoes(TestDb db) throws Exception {
        String sdl = Files.readString(Path.of("schema/world.graphqls")) + """
                type Reading @model(table: "readings") {
                  id: Int! @id
                  bucket: Int!
                  score: Int!
                }
                """;
        try (Fixture f = Fixture.on(db, sdl)) {
            f.sql(Files.readString(Path.of("schema/seed.sql")).lines().filter(l -> l.startsWith("INSERT")).map(l -> l.replaceAll(";$", ""))
                    .toArray(String[]::new));
            String numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) ";
            f.sql(db == TestDb.MARIADB ? "SET SESSION max_recursive_iterations = 100000" : "SELECT 1",
                    "INSERT INTO readings (id, bucket, score) " + numbers + "SELECT i, MOD(i * 13, 7), MOD(i * 31, 1000) FROM n");
            JsonNode states = f.data("{ citiesGroupBy(by: [stateId]) { key { stateId } count } }").get("citiesGroupBy");
            List<Map<String, Object>> direct = f.query("SELECT state_id AS s, COUNT(*) AS n FROM cities GROUP BY state_id ORDER BY state_id");
            assertEquals(direct.size(), states.size());
            for (int i = 0; i < direct.size(); i++) {
                assertEquals(((Number) direct.get(i).get("s")).intValue(), states.get(i).get("key").get("stateId").asInt());
                assertEquals(((Number) direct.get(i).get("n")).intValue(), states.get(i).get("count").asInt());
            }
            JsonNode buckets = f.data("{ readingsGroupBy(by: [bucket]) { key { bucket } count sum { score } } }").get("readingsGroupBy");
            List<Map<String, Object>> sums = f.query("SELECT bucket AS b, COUNT(*) AS n, SUM(score) AS total FROM readings GROUP BY bucket ORDER BY bucket");
            assertEquals(7, buckets.size());
            for (int i = 0; i < 7; i++) {
                assertEquals(((Number) sums.get(i).get("b")).intValue(), buckets.get(i).get("key").get("bucket").asInt());
                assertEquals(((Number) sums.get(i).get("n")).intValue(), buckets.get(i).get("count").asInt());
                assertEquals(((Number) sums.get(i).get("total")).longValue(), buckets.get(i).get("sum").get("score").asLong());
            }
            assertFalse(buckets.toString().contains("error"));
        }
    }

    /** A relation's groups for a page of parents read the foreign key's index, not the table (EXPLAIN, 50,000 sales of 5,000 shops). */
    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"MARIADB", "POSTGRESQL"})
    void aRelationsGroupsForAPageOfParentsReadTheForeignKeysIndex(TestDb db) throws Exception {
        try (Fixture f = Fixture.on(db, SDL)) {
            String numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) ";
            String text = db == TestDb.MARIADB ? "CONCAT('s', i)" : "'s' || i";
            f.sql(db == TestDb.MARIADB ? "SET SESSION max_recursive_iterations = 100000" : "SELECT 1",
                    "INSERT INTO shops (id, name, region) " + numbers.formatted(5000) + "SELECT i, " + text + ", 'north' FROM n",
                    "INSERT INTO sales (id, shop_id, amount, channel, sold_at, sold_on) " + numbers.formatted(50000)
                            + "SELECT i, MOD(i, 5000) + 1, MOD(i, 50), 'web', " + f.timestamp("2024-01-01T00:00:00Z") + ", '2024-01-01' FROM n");
            f.sql(db == TestDb.MARIADB ? "ANALYZE TABLE sales" : "ANALYZE sales");
            var plan = (dev.modelgate.ir.FieldPlan.Rows) new dev.modelgate.support.Plans(f.models, 10000)
                    .plan("{ shops(limit: 20) { salesGroupBy(by: [channel], orderBy: [{count: DESC}], limit: 2) { count } } }").get(0);
            var groups = (dev.modelgate.ir.FieldPlan.RelatedGroups) plan.children().get(0);
            java.util.List<Object> parents = new java.util.ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                parents.add(i);
            }
            var sql = new dev.modelgate.sql.Translation(f.models, f.db.dialect()).reads()
                    .group(groups.group().withPartition(new dev.modelgate.ir.Partition(groups.relation(), parents)));
            String explained = dev.modelgate.support.Explain.plan(db, f, sql);
            System.out.println("EXPLAIN per-parent groups on " + db + ": " + explained);
            // the sales table is read by the key's index; what is scanned and sorted after it is the groups (the window's input)
            if (db == TestDb.MARIADB) {
                assertTrue(explained.contains("table=t0 type=range possible_keys=ix_sales_shop_id key=ix_sales_shop_id"), explained);
            } else {
                assertTrue(explained.contains("Index Scan on ix_sales_shop_id") || explained.contains("Index Scan using ix_sales_shop_id"), explained);
                assertFalse(explained.contains("Seq Scan on sales"), explained);
            }
        }
    }
}
