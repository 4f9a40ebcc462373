package dev.modelgate.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.auth.Principal;
import dev.modelgate.exec.Gateway;
import dev.modelgate.exec.LiveQueries;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@code graphql-sse} protocol in its distinct-connections mode on {@code /graphql/stream}:
 * a POST (or GET) of one operation, answered with a {@code text/event-stream} of {@code next}
 * events — for a subscription, each new result of its live query ({@link LiveQueries}), for a
 * query or mutation its one result — and a {@code complete} event when it ends. A request that
 * cannot run (bad credentials: 401; a document that does not validate: 400) gets a JSON error
 * body before any stream starts. Each open stream holds one server thread; many subscribers
 * should use the WebSocket.
 */
final class GraphqlSse {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object END = new Object();
    /** Results not yet written to a stream before its client counts as not reading. */
    private static final int MAX_QUEUED = 256;

    private final Gateway gateway;
    private final LiveQueries live;
    private final Set<BlockingQueue<Object>> open = ConcurrentHashMap.newKeySet();

    GraphqlSse(Gateway gateway, LiveQueries live) {
        this.gateway = gateway;
        this.live = live;
    }

    /** Serves one operation of an authenticated request as an event stream (the body already read). */
    @SuppressWarnings("unchecked")
    void serve(Context ctx, Principal principal, String query, Map<String, Object> variables, String operationName) throws IOException {
        if (!Gateway.isSubscription(query, operationName)) {
            Map<String, Object> result = gateway.execute(new Gateway.Request(query, variables, operationName, principal));
            if (!result.containsKey("data")) {
                refuse(ctx, result);
                return;
            }
            ServletOutputStream out = start(ctx);
            event(out, "next", result);
            event(out, "complete", null);
            return;
        }
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        CountDownLatch first = new CountDownLatch(1);
        Object[] refused = new Object[1];
        LiveQueries.Handle handle = live.subscribe(query, variables, operationName, principal, new LiveQueries.Subscriber() {
            @Override
            public void next(Map<String, Object> result) {
                if (queue.size() >= MAX_QUEUED) {
                    queue.clear();
                    queue.add(END);   // a client that does not read is ended, not buffered for
                    return;
                }
                queue.add(result);
                first.countDown();
            }

            @Override
            public void error(List<Object> errors) {
                refused[0] = errors;
                queue.add(END);
                first.countDown();
            }
        });
        open.add(queue);
        try {
            if (!first.await(30, TimeUnit.SECONDS) || refused[0] != null) {
                refuse(ctx, Map.of("errors", refused[0] == null ? List.of(Map.of("message", "no result in time")) : refused[0]));
                return;
            }
            ServletOutputStream out = start(ctx);
            while (true) {
                Object item = queue.poll(15, TimeUnit.SECONDS);
                if (item == END) {
                    event(out, "complete", null);
                    return;
                }
                if (item == null) {   // a comment keeps proxies from closing an idle stream, and finds a gone client
                    out.write(":\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    continue;
                }
                event(out, "next", (Map<String, Object>) item);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away: the subscription ends
        } finally {
            handle.cancel();
            open.remove(queue);
        }
    }

    private static void refuse(Context ctx, Map<String, Object> body) throws IOException {
        ctx.status(400).contentType("application/json").result(JSON.writeValueAsBytes(body));
    }

    private static ServletOutputStream start(Context ctx) throws IOException {
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        ServletOutputStream out = ctx.res().getOutputStream();
        out.flush();
        return out;
    }

    private static void event(ServletOutputStream out, String name, Map<String, Object> data) throws IOException {
        String text = "event: " + name + "\ndata: " + (data == null ? "" : JSON.writeValueAsString(data)) + "\n\n";
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends every open stream (the server is stopping). */
    void stop() {
        open.forEach(q -> q.add(END));
    }
}
