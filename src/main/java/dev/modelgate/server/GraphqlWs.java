package dev.modelgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.auth.Authenticator;
import dev.modelgate.auth.Principal;
import dev.modelgate.config.Config;
import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.Errors;
import dev.modelgate.error.GatewayException;
import dev.modelgate.exec.Gateway;
import dev.modelgate.exec.LiveQueries;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code graphql-transport-ws} protocol (the graphql-ws library's, which GraphiQL, Apollo
 * Client and urql speak) on {@code /graphql}: {@code connection_init} (credentials in its payload
 * or the upgrade request's headers) answered by {@code connection_ack}; {@code ping}/{@code pong};
 * {@code subscribe} — a subscription becomes a live query ({@link LiveQueries}) whose results
 * come as {@code next} messages; a query or mutation runs once, {@code next} then
 * {@code complete}; {@code complete} from the client ends one. Protocol violations close the
 * socket with the library's codes (4400 invalid message, 4401 unauthorized, 4403 forbidden,
 * 4408 no {@code connection_init} in time, 4409 a subscription id twice, 4429 a second
 * {@code connection_init}). A client that does not read its results is closed (1008) rather
 * than buffered without bound.
 *
 * <p>Written here rather than taken from a library: the JVM implementations of the protocol
 * (Spring for GraphQL's, graphql-java-kickstart's) are bound to their own servers and execution
 * layers; the protocol is a handful of JSON messages over Javalin's WebSocket.
 */
final class GraphqlWs {
    private static final Logger LOG = LoggerFactory.getLogger(GraphqlWs.class);
    static final String PROTOCOL = "graphql-transport-ws";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Messages written but not yet taken by the network, per connection, before the client counts as
     * not reading: every subscription of a full connection may have a result or two in flight.
     */
    private static final int MAX_PENDING = 1024;
    /** Bytes written but not yet taken by the network, per connection, before the client counts as not reading. */
    private static final long MAX_PENDING_BYTES = 16L * 1024 * 1024;

    private final Gateway gateway;
    private final LiveQueries live;
    private final Authenticator auth;
    private final Config.Subscriptions settings;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "modelgate-ws-timers");
        t.setDaemon(true);
        return t;
    });

    /** One socket: its state and its subscriptions by id. */
    private final class Connection {
        final WsContext ws;
        volatile boolean initialised;
        volatile boolean acknowledged;
        volatile Principal principal;
        volatile Long expires;
        final Map<String, LiveQueries.Handle> subscriptions = new ConcurrentHashMap<>();
        final AtomicInteger pending = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong pendingBytes = new java.util.concurrent.atomic.AtomicLong();
        volatile boolean closed;

        Connection(WsContext ws) {
            this.ws = ws;
        }

        void send(ObjectNode message) {
            send(message.toString());
        }

        void send(String message) {
            if (closed) {
                return;
            }
            long size = message.length();
            if (pending.incrementAndGet() > MAX_PENDING || pendingBytes.addAndGet(size) > MAX_PENDING_BYTES) {
                close(1008, "Not reading: results are not buffered without bound");
                return;
            }
            Runnable sent = () -> {
                pending.decrementAndGet();
                pendingBytes.addAndGet(-size);
            };
            ws.session.sendText(message, Callback.from(sent, x -> sent.run()));
        }

        void close(int code, String reason) {
            if (closed) {
                return;
            }
            closed = true;
            end();
            connections.remove(ws.sessionId());
            try {
                ws.closeSession(code, reason);
                if (code == 1008) {   // a client that does not read will not read the close frame either: drop the connection
                    ws.session.disconnect();
                }
            } catch (RuntimeException e) {
                LOG.debug("closing a socket: {}", e.toString());
            }
        }

        void end() {
            subscriptions.values().forEach(LiveQueries.Handle::cancel);
            subscriptions.clear();
        }
    }

    GraphqlWs(Gateway gateway, LiveQueries live, Authenticator auth, Config.Subscriptions settings) {
        this.gateway = gateway;
        this.live = live;
        this.auth = auth;
        this.settings = settings;
    }

    int connections() {
        return connections.size();
    }

    void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            Connection c = new Connection(ctx);
            if (connections.size() >= settings.maxConnections) {
                ctx.closeSession(1013, "Too many connections (subscriptions.maxConnections)");
                return;
            }
            connections.put(ctx.sessionId(), c);
            ctx.session.setIdleTimeout(java.time.Duration.ZERO);
            timers.schedule(() -> {
                if (!c.initialised) {
                    c.close(4408, "Connection initialisation timeout");
                }
            }, settings.connectionInitWaitMillis, TimeUnit.MILLISECONDS);
        });
        ws.onMessage(ctx -> {
            Connection c = connections.get(ctx.sessionId());
            if (c != null) {
                message(c, ctx.message());
            }
        });
        ws.onClose(ctx -> {
            Connection c = connections.remove(ctx.sessionId());
            if (c != null) {
                c.closed = true;
                c.end();
            }
        });
        ws.onError(ctx -> {
            Connection c = connections.remove(ctx.sessionId());
            if (c != null) {
                c.closed = true;
                c.end();
            }
        });
    }

    private void message(Connection c, String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (Exception e) {
            c.close(4400, "Invalid message received");
            return;
        }
        String type = m == null ? null : m.path("type").asText(null);
        if (type == null) {
            c.close(4400, "Invalid message received");
            return;
        }
        switch (type) {
            case "connection_init" -> init(c, m.path("payload"));
            case "ping" -> c.send(JSON.createObjectNode().put("type", "pong"));
            case "pong" -> {
            }
            case "subscribe" -> subscribe(c, m);
            case "complete" -> {
                LiveQueries.Handle h = c.subscriptions.remove(m.path("id").asText(""));
                if (h != null) {
                    h.cancel();
                }
            }
            default -> c.close(4400, "Invalid message received");
        }
    }

    private void init(Connection c, JsonNode payload) {
        if (c.initialised) {
            c.close(4429, "Too many initialisation requests");
            return;
        }
        c.initialised = true;
        try {
            c.principal = auth.authenticate(credential(c, payload, "Authorization"), credential(c, payload, "X-Modelgate-Admin-Secret"));
        } catch (GatewayException e) {
            c.close(4403, "Forbidden: " + e.getMessage());
            return;
        }
        Object exp = c.principal.variables().get("exp");
        c.expires = exp instanceof Number n ? n.longValue() : null;
        c.acknowledged = true;
        c.send(JSON.createObjectNode().put("type", "connection_ack"));
    }

    /** A credential from the init payload (any letter case, as clients send headers), else the upgrade request's header. */
    private static String credential(Connection c, JsonNode payload, String name) {
        if (payload != null && payload.isObject()) {
            var fields = payload.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                if (f.getKey().equalsIgnoreCase(name) && f.getValue().isTextual()) {
                    return f.getValue().asText();
                }
                if (f.getKey().equalsIgnoreCase("headers") && f.getValue().isObject()) {
                    String inner = credential(c, f.getValue(), name);
                    if (inner != null) {
                        return inner;
                    }
                }
            }
        }
        return c.ws.header(name);
    }

    @SuppressWarnings("unchecked")
    private void subscribe(Connection c, JsonNode m) {
        if (!c.acknowledged) {
            c.close(4401, "Unauthorized");
            return;
        }
        String id = m.path("id").asText(null);
        JsonNode payload = m.path("payload");
        if (id == null || id.isEmpty() || !payload.path("query").isTextual()) {
            c.close(4400, "Invalid message received");
            return;
        }
        if (c.subscriptions.containsKey(id)) {
            c.close(4409, "Subscriber for " + id + " already exists");
            return;
        }
        String query = payload.get("query").asText();
        String operationName = payload.path("operationName").isTextual() ? payload.get("operationName").asText() : null;
        Map<String, Object> variables = payload.path("variables").isObject() ? JSON.convertValue(payload.get("variables"), Map.class) : Map.of();
        if (c.subscriptions.size() >= settings.maxPerConnection) {
            error(c, id, List.of(Map.of("message", "more than " + settings.maxPerConnection
                    + " subscriptions on one connection (subscriptions.maxPerConnection)", "extensions", Map.of("code", ErrorCode.QUERY_TOO_COMPLEX.name(),
                    "requestId", Errors.newRequestId()))));
            return;
        }
        if (!Gateway.isSubscription(query, operationName)) {   // a query or mutation over the socket: one result, then complete
            Map<String, Object> result = gateway.execute(new Gateway.Request(query, variables, operationName, c.principal));
            if (result.get("data") == null && result.get("errors") instanceof List<?> errors && !result.containsKey("data")) {
                error(c, id, (List<Object>) errors);
                return;
            }
            next(c, id, result);
            c.send(JSON.createObjectNode().put("type", "complete").put("id", id));
            return;
        }
        LiveQueries.Handle[] handle = new LiveQueries.Handle[1];
        LiveQueries.Subscriber s = new LiveQueries.Subscriber() {
            @Override
            public void next(Map<String, Object> result) {
                if (c.expires != null && c.expires <= System.currentTimeMillis() / 1000) {
                    c.close(4403, "Forbidden: the bearer token has expired; reconnect with a new one");
                    return;
                }
                GraphqlWs.this.next(c, id, result);
            }

            @Override
            public void error(List<Object> errors) {
                c.subscriptions.remove(id);
                GraphqlWs.this.error(c, id, errors);
            }
        };
        c.subscriptions.put(id, () -> handle[0].cancel());
        handle[0] = live.subscribe(query, variables, operationName, c.principal, s);
    }

    /** The last result written as JSON, and its text: one result goes to every subscriber of its group in turn. */
    private record Written(Map<String, Object> result, String json) {
    }

    private volatile Written written;

    private void next(Connection c, String id, Map<String, Object> result) {
        Written w = written;
        if (w == null || w.result() != result) {
            try {
                w = new Written(result, JSON.writeValueAsString(result));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            written = w;
        }
        try {
            c.send("{\"type\":\"next\",\"id\":" + JSON.writeValueAsString(id) + ",\"payload\":" + w.json() + "}");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void error(Connection c, String id, List<Object> errors) {
        ObjectNode n = JSON.createObjectNode().put("type", "error").put("id", id);
        n.set("payload", JSON.valueToTree(errors));
        c.send(n);
    }

    void stop() {
        connections.values().forEach(c -> c.close(1001, "Going away"));
        timers.shutdownNow();
    }
}
