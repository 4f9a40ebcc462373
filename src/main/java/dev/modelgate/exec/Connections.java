package dev.modelgate.exec;

import dev.modelgate.ir.Cursors;
import dev.modelgate.ir.Page;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection's value from the rows its statement read: the page (one row more was read, to
 * tell whether another follows; a backward page was read from the end and is turned back to the
 * forward order), each row's edge with its cursor, the page's place, and the count when asked.
 */
final class Connections {
    private Connections() {
    }

    static Map<String, Object> value(Page page, List<Map<String, Object>> read, Integer total) {
        boolean more = read.size() > page.size();
        List<Map<String, Object>> rows = new ArrayList<>(more ? read.subList(0, (int) page.size()) : read);
        if (page.backward()) {
            Collections.reverse(rows);
        }
        List<Object> edges = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> edge = new LinkedHashMap<>();
            edge.put("cursor", Cursors.encode(page, row));
            edge.put("node", row);
            edges.add(edge);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("hasNextPage", page.backward() ? page.before() : more);
        info.put("hasPreviousPage", page.backward() ? more : page.after());
        info.put("startCursor", edges.isEmpty() ? null : ((Map<?, ?>) edges.get(0)).get("cursor"));
        info.put("endCursor", edges.isEmpty() ? null : ((Map<?, ?>) edges.get(edges.size() - 1)).get("cursor"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("edges", edges);
        out.put("nodes", rows);
        out.put("pageInfo", info);
        out.put("totalCount", total);
        return out;
    }
}
