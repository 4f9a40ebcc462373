package dev.modelgate.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.modelgate.auth.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live queries: a subscription is its query re-run, and its result sent whenever it changes.
 * Subscribers of the same document, variables, role and session values form one group, re-run
 * once for all of them — every {@code pollMillis}, and at once after a write through the gateway
 * commits — through the same path as an HTTP query (the role's permissions included). The groups
 * of one document, role and session values that differ only in their variables form a cohort,
 * re-run together: each level one statement for all their variable sets
 * ({@link Gateway#executeLive}). A result goes to a group's subscribers only when its hash
 * differs from the last one sent; a new subscriber of a group gets the last result at once.
 */
public final class LiveQueries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveQueries.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, false);

    /** Where a group's results go: one subscriber (a WebSocket subscription). */
    public interface Subscriber {
        /** A result: {data, errors?}. */
        void next(Map<String, Object> result);

        /** The subscription cannot run (a document that does not validate, a refused limit): its errors; it ends. */
        void error(List<Object> errors);
    }

    /** A subscription: ended by {@link #cancel}. */
    public interface Handle {
        void cancel();
    }

    private record Key(String query, String operationName, String variables, String role, String session) {
        /** The groups re-run together: the same but for the variables. */
        Key cohort() {
            return new Key(query, operationName, null, role, session);
        }
    }

    private final class Group {
        final Key key;
        final Gateway.Request request;
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        /** Subscribers that joined before the group had a result: they get the next one, changed or not. */
        final java.util.Queue<Subscriber> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
        volatile String lastHash;
        volatile Map<String, Object> last;
        final AtomicBoolean running = new AtomicBoolean();

        Group(Key key, Gateway.Request request) {
            this.key = key;
            this.request = request;
        }
    }

    private final Gateway gateway;
    private final Map<Key, Group> groups = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** Groups waiting for their first result, and whether a run of them is queued (joiners before it wait for that one). */
    private final Set<Group> firsts = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean firstsQueued = new AtomicBoolean();
    private final AtomicLong reruns = new AtomicLong();
    private final AtomicLong pushes = new AtomicLong();

    public LiveQueries(Gateway gateway, long pollMillis) {
        this.gateway = gateway;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modelgate-live-queries");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollAll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        gateway.onCommit(this::changed);
    }

    /** Starts a subscription: its first result comes at once (from the group's last run, or a run now). */
    public Handle subscribe(String query, Map<String, Object> variables, String operationName, Principal principal, Subscriber s) {
        Map<String, Object> vars = variables == null ? Map.of() : variables;
        Key key = new Key(query, operationName, json(vars), principal == null ? null : principal.role(),
                principal == null ? null : json(principal.variables()));
        Group g = groups.computeIfAbsent(key, k -> new Group(k, new Gateway.Request(query, vars, operationName, principal, true)));
        Map<String, Object> last;
        synchronized (g) {   // a result is sent by the run that set it, or here, never both
            g.subscribers.add(s);
            last = g.last;
            if (last == null) {
                g.waiting.add(s);
            }
        }
        if (last != null) {
            send(s, last);
        } else {   // its group's first result: runs soon, with the other new groups of its cohort
            firsts.add(g);
            if (firstsQueued.compareAndSet(false, true)) {
                poller.execute(this::runFirsts);
            }
        }
        return () -> {
            g.subscribers.remove(s);
            if (g.subscribers.isEmpty()) {
                groups.remove(g.key, g);
            }
        };
    }

    /** A write committed: every group runs again now (once, however many writes came together). */
    private void changed() {
        if (dirty.compareAndSet(false, true)) {
            poller.execute(() -> {
                dirty.set(false);
                pollAll();
            });
        }
    }

    private void pollAll() {
        byCohort(groups.values()).forEach(this::run);
    }

    /** The new groups' first results: each cohort's new groups in one run. */
    private void runFirsts() {
        firstsQueued.set(false);
        List<Group> due = new java.util.ArrayList<>(firsts);
        firsts.removeAll(due);
        byCohort(due).forEach(this::run);
    }

    private static java.util.Collection<List<Group>> byCohort(java.util.Collection<Group> groups) {
        Map<Key, List<Group>> cohorts = new java.util.LinkedHashMap<>();
        for (Group g : groups) {
            cohorts.computeIfAbsent(g.key.cohort(), k -> new java.util.ArrayList<>()).add(g);
        }
        return cohorts.values();
    }

    /** Re-runs a cohort's groups (those with subscribers and not already running) together, and pushes what changed. */
    private void run(List<Group> cohort) {
        List<Group> running = new java.util.ArrayList<>();
        for (Group g : cohort) {
            if (!g.subscribers.isEmpty() && g.running.compareAndSet(false, true)) {
                running.add(g);
            }
        }
        if (running.isEmpty()) {
            return;
        }
        try {
            reruns.incrementAndGet();
            List<Map<String, Object>> results = gateway.executeLive(running.stream().map(g -> g.request).toList());
            for (int i = 0; i < running.size(); i++) {
                deliver(running.get(i), results.get(i));
            }
        } catch (RuntimeException e) {
            LOG.warn("a live query's re-run failed: {}", e.toString());
        } finally {
            running.forEach(g -> g.running.set(false));
        }
    }

    /** A group's new result: to every subscriber when it changed, else only to those waiting for a first one. */
    private void deliver(Group g, Map<String, Object> result) {
        if (result.get("data") == null && result.get("errors") instanceof List<?> errors) {   // it cannot run at all
            for (Subscriber s : g.subscribers) {
                s.error(List.copyOf(errors));
            }
            groups.remove(g.key, g);
            g.subscribers.clear();
            return;
        }
        String hash = hash(result);
        List<Subscriber> to = new java.util.ArrayList<>();
        synchronized (g) {
            boolean changed = !hash.equals(g.lastHash);
            g.lastHash = hash;
            g.last = result;
            if (changed) {   // everyone; else only those still waiting for a first result
                to.addAll(g.subscribers);
                g.waiting.clear();
            } else {
                for (Subscriber w; (w = g.waiting.poll()) != null; ) {
                    to.add(w);
                }
            }
        }
        for (Subscriber s : to) {
            send(s, result);
        }
    }

    private void send(Subscriber s, Map<String, Object> result) {
        pushes.incrementAndGet();
        try {
            s.next(result);
        } catch (RuntimeException e) {
            LOG.debug("a subscriber could not take a result: {}", e.toString());
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            return String.valueOf(value);
        }
    }

    private static String hash(Map<String, Object> result) {
        return dev.modelgate.model.Hashes.sha256(json(result));
    }

    /** Subscriptions now active (all groups' subscribers). */
    public int subscriptions() {
        return groups.values().stream().mapToInt(g -> g.subscribers.size()).sum();
    }

    /** Distinct results kept: groups of identical subscriptions. */
    public int groups() {
        return groups.size();
    }

    public long reruns() {
        return reruns.get();
    }

    public long pushes() {
        return pushes.get();
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
