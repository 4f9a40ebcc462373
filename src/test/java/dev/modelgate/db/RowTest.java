package dev.modelgate.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowTest {
    @Test
    void aRowIsAMapInColumnOrder() throws Exception {
        String[] names = {"id", "name", "stateId"};
        Row row = new Row(names, new Object[]{7, null, 3});
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("id", 7);
        same.put("name", null);
        same.put("stateId", 3);
        assertEquals(same, row);
        assertEquals(same.hashCode(), row.hashCode());
        assertEquals(List.of("id", "name", "stateId"), List.copyOf(row.keySet()));
        assertEquals(3, row.get(new String("stateId")), "found by equal names, not only the same instance");
        assertTrue(row.containsKey("name"));
        assertNull(row.get("name"));
        assertFalse(row.containsKey("other"));
        assertEquals("{\"id\":7,\"name\":null,\"stateId\":3}", new ObjectMapper().writeValueAsString(row));
        assertEquals(7, row.put("id", 8));
        assertEquals(8, row.get("id"));
        assertThrows(UnsupportedOperationException.class, () -> row.put("other", 1));
        assertThrows(IllegalArgumentException.class, () -> new Row(names, new Object[2]));
    }
}
