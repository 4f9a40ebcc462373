package dev.modelgate.api;

import dev.modelgate.auth.Principal;
import dev.modelgate.exec.Gateway;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live query's variable sets re-run together ({@code Gateway.executeLive}, what each poll of a
 * cohort runs) on every database: 100 variable sets of one document cost the statements of one
 * request, and each set's result is exactly what the same request answers alone — for root
 * lists, aggregates, groups and connection pages whose arguments differ per set, and for
 * relationship levels whose own arguments differ per set (their templates differ) or not.
 */
class MultiplexTest {
    /** Every kind of read, each with arguments from the variables, at the root and one level down (a subscription has one root field). */
    static final List<String> DOCUMENTS = List.of("""
            subscription($shop: Int!, $min: Int!, $n: Int!, $order: [SaleOrderBy!], $channel: String) {
              shops(where: {id: {lte: $shop}}, orderBy: [{name: DESC}], limit: $n) {
                id name
                sales(where: {amount: {gte: $min}}, orderBy: $order, limit: $n) { id amount channel shop { name } }
                salesAggregate(where: {channel: {eq: $channel}}) { count sum { amount } }
                salesGroupBy(by: [channel], where: {amount: {gte: $min}}, limit: $n) { key { channel } count max { amount } }
                salesConnection(orderBy: $order, first: $n) { nodes { id } pageInfo { hasNextPage endCursor } }
                allSales: sales(orderBy: [{id: ASC}], limit: 3) { id }
              }
            }""", """
            subscription($shop: Int!, $min: Int!, $n: Int!, $order: [SaleOrderBy!]) {
              sales(where: {shopId: {eq: $shop}, amount: {gte: $min}}, orderBy: $order, limit: $n) { id amount shop { id region } }
            }""", """
            subscription($shop: Int!) { salesAggregate(where: {shopId: {eq: $shop}}) { count avg { amount } max { soldAt } } }""", """
            subscription($min: Int!, $n: Int!) {
              salesGroupBy(by: [shopId], where: {amount: {lt: $min}}, orderBy: [{count: DESC}], limit: $n, offset: 1) { key { shopId } count }
            }""", """
            subscription($n: Int!, $order: [SaleOrderBy!], $channel: String) {
              salesConnection(where: {channel: {eq: $channel}}, orderBy: $order, first: $n) { totalCount nodes { id amount } }
            }""");

    static List<Map<String, Object>> variableSets(int n) {
        List<String> orders = List.of("[{amount: DESC}]", "[{id: ASC}]", "[{channel: ASC_NULLS_FIRST}, {amount: ASC}]");
        String[] channels = {"web", "store", "mail", "phone"};
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("shop", i % 4 + 1);
            v.put("min", (i * 7) % 45);
            v.put("n", i % 5 + 1);
            v.put("order", order(orders.get(i % 3)));
            v.put("channel", channels[i % 4]);
            out.add(v);
        }
        return out;
    }

    /** An orderBy list as a variable's value. */
    private static List<Map<String, Object>> order(String literal) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String term : literal.replaceAll("[\\[\\]{} ]", "").split(",")) {
            String[] kv = term.split(":");
            out.add(Map.of(kv[0], kv[1]));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aHundredVariableSetsCostTheStatementsOfOneAndEachGetsItsOwnResult(TestDb db) {
        try (Fixture f = GroupByTest.shops(db)) {
            List<Map<String, Object>> sets = variableSets(100);
            for (String document : DOCUMENTS) {
                List<Gateway.Request> requests = sets.stream().map(v -> new Gateway.Request(document, used(document, v), null, null, true)).toList();
                List<List<Map<String, Object>>> alone = new ArrayList<>();
                List<String> one = f.statements(() -> alone.add(f.gateway.executeLive(requests.subList(0, 1))));
                List<Map<String, Object>> together = new ArrayList<>();
                List<String> hundred = f.statements(() -> together.addAll(f.gateway.executeLive(requests)));

                assertEquals(one.size(), hundred.size(), "100 variable sets cost the statements of one: " + String.join("\n", hundred));
                assertTrue(one.size() <= 7, "one statement per field and level: " + one);
                assertTrue(hundred.stream().anyMatch(q -> q.contains("UNION ALL")), "the root's arguments differ per set: one union");
                assertEquals(Fixture.JSON.valueToTree(alone.get(0).get(0)), Fixture.JSON.valueToTree(together.get(0)));
                for (int i = 0; i < sets.size(); i++) {   // each as the same request answers alone
                    Map<String, Object> single = f.gateway.execute(requests.get(i));
                    assertNull(single.get("errors"), () -> String.valueOf(single.get("errors")));
                    assertEquals(Fixture.JSON.valueToTree(single), Fixture.JSON.valueToTree(together.get(i)), "variable set " + i + ": " + sets.get(i));
                }
                // not a trivial pass: the sets' answers differ
                assertTrue(together.stream().map(Fixture.JSON::valueToTree).distinct().count() > 3, document);
            }
        }
    }

    /** The variables a document declares, of a set. */
    private static Map<String, Object> used(String document, Map<String, Object> set) {
        Map<String, Object> out = new LinkedHashMap<>();
        set.forEach((k, v) -> {
            if (document.contains("$" + k + ":")) {
                out.put(k, v);
            }
        });
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = TestDb.class, names = {"SQLITE", "POSTGRESQL"})
    void setsOfARoleSeeOnlyTheirRowsAndAnErrorStaysWithItsSet(TestDb db) {
        try (Fixture f = GroupByTest.shops(db)) {
            String doc = "subscription($min: Int!, $n: Int!) { sales(where: {amount: {gte: $min}}, orderBy: [{id: ASC}], limit: $n) { id amount } }";
            Principal clerk = new Principal("clerk", Map.of());
            List<Gateway.Request> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                requests.add(new Gateway.Request(doc, Map.of("min", i, "n", i % 4 + 1), null, clerk, true));
            }
            requests.add(new Gateway.Request(doc, Map.of("min", 1, "n", -1), null, clerk, true));   // a refused limit: its own error
            List<Map<String, Object>> out = f.gateway.executeLive(requests);
            for (int i = 0; i < 20; i++) {
                Map<String, Object> alone = f.gateway.execute(requests.get(i));
                assertEquals(Fixture.JSON.valueToTree(alone), Fixture.JSON.valueToTree(out.get(i)));
                for (var sale : Fixture.dataOf(out.get(i)).get("sales")) {
                    assertTrue(sale.get("amount").asInt() > 10, "the clerk's row filter applies to every set: " + sale);
                }
            }
            Map<String, Object> refused = f.gateway.execute(requests.get(20));
            assertEquals("BAD_USER_INPUT", Fixture.codeOf(refused));
            assertEquals(String.valueOf(refused).replaceAll("requestId=[^}]*", ""), String.valueOf(out.get(20)).replaceAll("requestId=[^}]*", ""));
        }
    }
}
