package dev.modelgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw-JDBC floor: what a hand-written endpoint per operation costs on the same machine,
 * pool and web server. Each operation is the best single SQL statement for it (joins instead
 * of levels), rows shaped into the same JSON the gateway returns, serialised with Jackson and
 * served by the same Javalin.
 */
final class Floor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource ds;
    private final AtomicLong statements = new AtomicLong();
    private Javalin app;

    private Floor(DataSource ds) {
        this.ds = ds;
    }

    static Floor start(DataSource ds) {
        Floor f = new Floor(ds);
        f.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.post("/q1", f::q1);
            cfg.routes.post("/q2", f::q2);
            cfg.routes.post("/q3", f::q3);
            cfg.routes.post("/q4", f::q4);
            cfg.routes.post("/q5", f::q5);
            cfg.routes.post("/q6", f::q6);
            cfg.routes.post("/q7", f::q7);
            cfg.routes.post("/q8", f::q8);
        }).start("127.0.0.1", 0);
        return f;
    }

    int port() {
        return app.port();
    }

    long statements() {
        return statements.get();
    }

    void stop() {
        app.stop();
    }

    private interface Rows {
        void read(ResultSet rs) throws Exception;
    }

    private void query(String sql, List<Object> params, Rows rows) throws Exception {
        statements.incrementAndGet();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.read(rs);
                }
            }
        }
    }

    private static JsonNode variables(Context ctx) throws Exception {
        return JSON.readTree(ctx.bodyAsBytes()).path("variables");
    }

    private static void answer(Context ctx, String field, Object value) throws Exception {
        ctx.contentType("application/json").result(JSON.writeValueAsBytes(Map.of("data", Map.of(field, value))));
    }

    private static Map<String, Object> state(int id, String name) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("name", name);
        return s;
    }

    /**
     * The cities list of the state in columns 1–2 of a joined row, starting the state (and,
     * when {@code parents} is given, its {id, name, citiesAggregate} from column 5) at its first row.
     */
    private static List<Object> citiesOf(ResultSet rs, List<Object> out, Map<Integer, List<Object>> cities,
                                         Map<Integer, Map<String, Object>> parents) throws java.sql.SQLException {
        int sid = rs.getInt(1);
        List<Object> list = cities.get(sid);
        if (list == null) {
            list = new ArrayList<>();
            cities.put(sid, list);
            Map<String, Object> s = state(sid, rs.getString(2));
            s.put("cities", list);
            out.add(s);
            if (parents != null) {
                Map<String, Object> parent = state(sid, rs.getString(2));
                parent.put("citiesAggregate", Map.of("count", rs.getInt(5)));
                parents.put(sid, parent);
            }
        }
        return list;
    }

    /** 100 states by id. */
    private void q1(Context ctx) throws Exception {
        List<Object> ids = new ArrayList<>();
        variables(ctx).path("ids").forEach(n -> ids.add(n.asInt()));
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        List<Object> out = new ArrayList<>();
        query("SELECT id, name FROM states WHERE id IN (" + marks + ") ORDER BY id", ids, rs -> out.add(state(rs.getInt(1), rs.getString(2))));
        answer(ctx, "states", out);
    }

    /** 20 states with their cities: one LEFT JOIN over a limited derived table. */
    private void q2(Context ctx) throws Exception {
        variables(ctx);
        List<Object> out = new ArrayList<>();
        Map<Integer, List<Object>> cities = new LinkedHashMap<>();
        query("SELECT s.id, s.name, c.id, c.name FROM (SELECT id, name FROM states ORDER BY id LIMIT 20) s"
                + " LEFT JOIN cities c ON c.state_id = s.id ORDER BY s.id, c.id", List.of(), rs -> {
            List<Object> list = citiesOf(rs, out, cities, null);
            int cid = rs.getInt(3);
            if (!rs.wasNull()) {
                list.add(state(cid, rs.getString(4)));
            }
        });
        answer(ctx, "states", out);
    }

    /** 200 cities with their state's name: one JOIN. */
    private void q3(Context ctx) throws Exception {
        variables(ctx);
        List<Object> out = new ArrayList<>();
        query("SELECT c.id, c.name, s.name FROM cities c JOIN states s ON s.id = c.state_id ORDER BY c.id LIMIT 200", List.of(), rs -> {
            Map<String, Object> c = state(rs.getInt(1), rs.getString(2));
            c.put("state", Map.of("name", rs.getString(3)));
            out.add(c);
        });
        answer(ctx, "cities", out);
    }

    /** One state by primary key. */
    private void q4(Context ctx) throws Exception {
        int id = variables(ctx).path("id").asInt();
        List<Object> out = new ArrayList<>();
        query("SELECT id, name FROM states WHERE id = ?", List.of(id), rs -> out.add(state(rs.getInt(1), rs.getString(2))));
        answer(ctx, "state", out.isEmpty() ? null : out.get(0));
    }

    /** All states, their cities, each city's state and that state's city count: one statement with a grouped join. */
    private void q5(Context ctx) throws Exception {
        variables(ctx);
        List<Object> out = new ArrayList<>();
        Map<Integer, List<Object>> cities = new LinkedHashMap<>();
        Map<Integer, Map<String, Object>> parents = new LinkedHashMap<>();
        query("SELECT s.id, s.name, c.id, c.name, n.cnt FROM states s LEFT JOIN cities c ON c.state_id = s.id"
                + " LEFT JOIN (SELECT state_id, COUNT(*) AS cnt FROM cities GROUP BY state_id) n ON n.state_id = s.id"
                + " ORDER BY s.id, c.id", List.of(), rs -> {
            List<Object> list = citiesOf(rs, out, cities, parents);
            int cid = rs.getInt(3);
            if (!rs.wasNull()) {
                Map<String, Object> c = state(cid, rs.getString(4));
                c.put("state", parents.get(rs.getInt(1)));
                list.add(c);
            }
        });
        answer(ctx, "states", out);
    }

    /** Cities grouped by state, the 20 largest groups: one GROUP BY … HAVING. */
    private void q6(Context ctx) throws Exception {
        variables(ctx);
        List<Object> out = new ArrayList<>();
        query("SELECT state_id, COUNT(*), MAX(name) FROM cities GROUP BY state_id HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC, state_id LIMIT 20",
                List.of(1), rs -> {
                    Map<String, Object> g = new LinkedHashMap<>();
                    g.put("key", Map.of("stateId", rs.getInt(1)));
                    g.put("count", rs.getInt(2));
                    g.put("max", Map.of("name", rs.getString(3)));
                    out.add(g);
                });
        answer(ctx, "citiesGroupBy", out);
    }

    /** 20 cities after the cursor's id, by id: one keyset range, one row more to know whether a page follows. */
    private void q7(Context ctx) throws Exception {
        String cursor = variables(ctx).path("after").asText();
        JsonNode values = JSON.readTree(java.util.Base64.getUrlDecoder().decode(cursor)).get(1);
        List<Object> edges = new ArrayList<>();
        query("SELECT id, name FROM cities WHERE id > ? ORDER BY id LIMIT 21", List.of(values.get(0).asInt()),
                rs -> edges.add(Map.of("node", state(rs.getInt(1), rs.getString(2)))));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("edges", edges.subList(0, Math.min(20, edges.size())));
        page.put("pageInfo", Map.of("hasNextPage", edges.size() > 20));
        answer(ctx, "citiesConnection", page);
    }

    /** A state's name and its cities' key, in one transaction: two UPDATEs and the row read back. */
    private void q8(Context ctx) throws Exception {
        JsonNode v = variables(ctx);
        int id = v.path("id").asInt();
        Map<String, Object> out = new LinkedHashMap<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement a = c.prepareStatement("UPDATE states SET name = ? WHERE id = ?");
                 PreparedStatement b = c.prepareStatement("UPDATE cities SET state_id = ? WHERE state_id = ?");
                 PreparedStatement r = c.prepareStatement("SELECT id, name FROM states WHERE id = ?")) {
                a.setString(1, v.path("name").asText());
                a.setInt(2, id);
                a.executeUpdate();
                b.setInt(1, id);
                b.setInt(2, id);
                b.executeUpdate();
                r.setInt(1, id);
                try (ResultSet rs = r.executeQuery()) {
                    rs.next();
                    out.putAll(state(rs.getInt(1), rs.getString(2)));
                }
                statements.addAndGet(3);
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
        answer(ctx, "updateState", out);
    }
}
