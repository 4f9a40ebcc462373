package dev.modelgate.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Global object identifiers (Relay's, and a cache key for Apollo and urql): base64 of a JSON array
 * of the type name and the key values, {@code ["City",7]}, {@code ["FilmActor",1,23]}. Opaque to
 * clients, stable for a row as long as its key is.
 */
public final class NodeIds {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeIds() {
    }

    /** The id of the row of {@code m} whose key value is {@code key} (one value, or a list for a composite key). */
    public static String encode(Model m, Object key) {
        ArrayNode a = JSON.createArrayNode().add(m.name());
        for (Object part : Keys.parts(key, m.key().size())) {
            if (part instanceof Integer || part instanceof Long || part instanceof Short) {
                a.add(((Number) part).longValue());
            } else if (part instanceof java.math.BigDecimal d) {
                a.add(d);
            } else {
                a.add(String.valueOf(part));
            }
        }
        return Base64.getEncoder().encodeToString(a.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A decoded id: the type name it names and the key values as written (checked against the model by the planner). */
    public record Decoded(String type, List<Object> key) {
    }

    /** The type and key an id holds; IllegalArgumentException when it is not one. */
    public static Decoded decode(String id) {
        try {
            JsonNode n = JSON.readTree(new String(Base64.getDecoder().decode(id), StandardCharsets.UTF_8));
            if (!n.isArray() || n.size() < 2 || !n.get(0).isTextual()) {
                throw new IllegalArgumentException("not a node id");
            }
            List<Object> key = new ArrayList<>();
            for (int i = 1; i < n.size(); i++) {
                JsonNode v = n.get(i);
                if (!v.isValueNode() || v.isNull()) {
                    throw new IllegalArgumentException("not a node id");
                }
                key.add(v.isIntegralNumber() ? (Object) v.bigIntegerValue() : v.isNumber() ? v.decimalValue() : v.asText());
            }
            return new Decoded(n.get(0).asText(), key);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a node id", e);
        }
    }
}
