package dev.modelgate.ir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.modelgate.error.GatewayException;
import dev.modelgate.model.Field;
import dev.modelgate.model.FilterOp;
import dev.modelgate.model.Model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Connection cursors and the keyset filter they stand for. A cursor is base64 of a JSON array:
 * the signature of the order it was made in, the row's values of that order's fields, and a
 * checksum of both, so that a cursor edited by hand, or made for another {@code orderBy}, is
 * refused instead of silently paging from somewhere else. Rows after a cursor are found by
 * comparing those values ({@link #after}), never by an offset: a page is an index range.
 */
public final class Cursors {
    private static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Cursors() {
    }

    /** The name of an order: the model and each term's field, direction and NULL placement. */
    public static String signature(Model m, List<OrderTerm> order) {
        StringBuilder s = new StringBuilder(m.name());
        for (OrderTerm t : order) {
            s.append(',').append(t.field().name()).append(t.order().descending() ? " desc" : " asc")
                    .append(t.order().nullsFirst() ? " nulls first" : "");
        }
        return digest(s.toString());
    }

    /** The cursor of {@code row} in {@code page}'s order. */
    public static String encode(Page page, Map<?, ?> row) {
        ArrayNode values = JSON.createArrayNode();
        for (OrderTerm t : page.order()) {
            Object v = row.get(t.field().name());
            if (v == null) {
                values.addNull();
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                values.add(((Number) v).longValue());
            } else if (v instanceof java.math.BigDecimal d) {
                values.add(d);
            } else if (v instanceof Double || v instanceof Float) {
                values.add(((Number) v).doubleValue());
            } else if (v instanceof Boolean b) {
                values.add(b);
            } else if (v instanceof byte[] b) {
                values.add(Base64.getEncoder().encodeToString(b));
            } else {
                values.add(String.valueOf(v));
            }
        }
        ArrayNode a = JSON.createArrayNode().add(page.signature()).add(values);
        a.add(digest(a.toString()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(a.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The values a cursor holds, of the types of {@code order}'s fields; BAD_USER_INPUT naming
     * {@code argument} when it is not a cursor, was changed, or was made for another order.
     */
    public static List<Object> decode(String cursor, String argument, String signature, List<OrderTerm> order) {
        JsonNode a;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(cursor)) {
                throw notACursor(argument);   // not the text the API gave: extra or changed characters
            }
            a = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw notACursor(argument);
        }
        if (a == null || !a.isArray() || a.size() != 3 || !a.get(0).isTextual() || !a.get(1).isArray() || !a.get(2).isTextual()) {
            throw notACursor(argument);
        }
        ArrayNode signed = JSON.createArrayNode().add(a.get(0)).add(a.get(1));
        if (!digest(signed.toString()).equals(a.get(2).asText())) {
            throw notACursor(argument);
        }
        if (!a.get(0).asText().equals(signature) || a.get(1).size() != order.size()) {
            throw GatewayException.badInput(argument + ": the cursor was made for another orderBy; page with the orderBy it came from,"
                    + " or start again without " + argument);
        }
        List<Object> out = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            JsonNode v = a.get(1).get(i);
            Field f = order.get(i).field();
            try {
                out.add(v.isNull() ? null : f.type().valueOf(v.isNumber() ? v.numberValue() : v.isBoolean() ? v.booleanValue() : v.asText()));
            } catch (RuntimeException e) {
                throw notACursor(argument);
            }
        }
        return out;
    }

    private static GatewayException notACursor(String argument) {
        return GatewayException.badInput(argument + " is not a cursor of this connection; give a cursor the API returned (edges.cursor, pageInfo.endCursor)");
    }

    /** The first 8 bytes of the text's SHA-256, as hex: a checksum, not a secret. */
    private static String digest(String text) {
        return dev.modelgate.model.Hashes.sha256(text).substring(0, 16);
    }

    /**
     * The rows strictly after the row with {@code values} in {@code order} (NULL placed as each
     * term says): {@code a > x OR (a = x AND b > y) OR …}, led by {@code a >= x} so that every
     * database reads it as a range of the first column's index.
     */
    public static BoolExp after(List<OrderTerm> order, List<Object> values) {
        List<BoolExp> either = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            List<BoolExp> all = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                all.add(equal(order.get(j).field(), values.get(j)));
            }
            all.add(beyond(order.get(i), values.get(i)));
            BoolExp one = BoolExp.and(all);
            if (!BoolExp.FALSE.equals(one)) {
                either.add(one);
            }
        }
        if (either.isEmpty()) {
            return BoolExp.FALSE;
        }
        BoolExp rest = either.size() == 1 ? either.get(0) : new BoolExp.Or(either);
        return BoolExp.and(atLeast(order.get(0), values.get(0)), rest);
    }

    /** The same order, read from the other end: each direction and NULL placement reversed. */
    public static List<OrderTerm> reversed(List<OrderTerm> order) {
        return order.stream().map(t -> new OrderTerm(t.path(), t.field(), reverse(t.order()))).toList();
    }

    private static SortOrder reverse(SortOrder o) {
        boolean desc = !o.descending();
        boolean nullsFirst = !o.nullsFirst();
        for (SortOrder s : SortOrder.values()) {
            if (s.descending() == desc && s.nullsFirst() == nullsFirst) {
                return s;
            }
        }
        throw new IllegalStateException(o.name());
    }

    private static BoolExp equal(Field f, Object v) {
        return v == null ? new BoolExp.IsNull(f, true) : new BoolExp.Compare(f, FilterOp.EQ, v);
    }

    /** Strictly after {@code v} in the term's order. */
    private static BoolExp beyond(OrderTerm t, Object v) {
        Field f = t.field();
        boolean nullsFirst = t.order().nullsFirst();
        if (v == null) {   // after a NULL: every value when NULLs come first, nothing when they come last
            return nullsFirst && f.nullable() ? new BoolExp.IsNull(f, false) : BoolExp.FALSE;
        }
        BoolExp past = new BoolExp.Compare(f, t.order().descending() ? FilterOp.LT : FilterOp.GT, v);
        return f.nullable() && !nullsFirst ? new BoolExp.Or(List.of(past, new BoolExp.IsNull(f, true))) : past;
    }

    /** At or after {@code v} in the term's order. */
    private static BoolExp atLeast(OrderTerm t, Object v) {
        Field f = t.field();
        boolean nullsFirst = t.order().nullsFirst();
        if (v == null) {
            return nullsFirst ? BoolExp.TRUE : new BoolExp.IsNull(f, true);
        }
        BoolExp from = new BoolExp.Compare(f, t.order().descending() ? FilterOp.LTE : FilterOp.GTE, v);
        return f.nullable() && !nullsFirst ? new BoolExp.Or(List.of(from, new BoolExp.IsNull(f, true))) : from;
    }
}
