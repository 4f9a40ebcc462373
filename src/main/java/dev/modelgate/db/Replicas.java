package dev.modelgate.db;

import org.apache.ibatis.session.SqlSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read replicas of a primary ({@code database.replicas}): each its own pool, checked every
 * second — is it up, how far behind (its vendor's lag figure) — and picked round robin for the
 * reads of query operations, skipping one that is down or lags more than
 * {@code database.maxReplicaLagSeconds} (one that reports no figure counts as within). A read
 * that must see a position (a mutation's consistency token) takes the first replica that has
 * reached it within a short wait, else none: the primary serves it.
 */
public final class Replicas implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);
    /** How long a read with a consistency token waits for a replica to reach it before the primary serves it. */
    static final double WAIT_SECONDS = 0.25;

    /** One replica: its pool and what the last check found. */
    public static final class Replica {
        private final String name;
        private final Database db;
        private volatile boolean up = true;
        private volatile Double lag;

        Replica(String name, Database db) {
            this.name = name;
            this.db = db;
        }

        /** host:port/database, no credentials. */
        public String name() {
            return name;
        }

        public Database database() {
            return db;
        }

        public boolean up() {
            return up;
        }

        /** Seconds behind the primary at the last check; null when it reports no figure. */
        public Double lagSeconds() {
            return lag;
        }
    }

    private final List<Replica> replicas;
    private final double maxLagSeconds;
    private final AtomicInteger next = new AtomicInteger();
    private final ScheduledExecutorService checker;

    public Replicas(List<DbUrl> urls, int poolSize, double maxLagSeconds) {
        List<Replica> out = new ArrayList<>();
        for (DbUrl u : urls) {
            out.add(new Replica(u.display(), Database.open(u, poolSize, null)));
        }
        this.replicas = List.copyOf(out);
        this.maxLagSeconds = maxLagSeconds;
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modelgate-replica-check");
            t.setDaemon(true);
            return t;
        });
        checkAll();
        checker.scheduleWithFixedDelay(this::checkAll, 1, 1, TimeUnit.SECONDS);
    }

    public List<Replica> all() {
        return replicas;
    }

    /** Asks each replica whether it is up and how far behind it is. */
    public void checkAll() {
        for (Replica r : replicas) {
            check(r);
        }
    }

    private void check(Replica r) {
        boolean was = r.up;
        try (Connection c = r.db.dataSource().getConnection()) {
            r.lag = r.db.vendor().lagSeconds(c);
            r.up = true;
            if (!was) {
                LOG.info("replica {} is back (lag {} s): reads go to it again", r.name, r.lag);
            }
        } catch (Exception e) {
            r.up = false;
            if (was) {
                LOG.warn("replica {} is down, its reads go elsewhere: {}", r.name, e.getMessage());
            }
        }
    }

    /** A replica found down while serving a read: skipped from now until a check finds it back. */
    void failed(Replica r) {
        if (r.up) {
            r.up = false;
            LOG.warn("replica {} failed a read: skipped until it answers again", r.name);
        }
    }

    /**
     * The replica for a query's reads, round robin among those up and within the lag limit; with
     * a {@code position}, the first of them that has reached it; null: the primary reads.
     */
    Replica pick(String position) {
        int n = replicas.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Replica r = replicas.get((start + i) % n);
            if (!r.up || r.lag != null && r.lag > maxLagSeconds) {
                continue;
            }
            if (position == null) {
                return r;
            }
            try (Connection c = r.db.dataSource().getConnection()) {
                if (r.db.vendor().reached(c, position, WAIT_SECONDS)) {
                    return r;
                }
            } catch (Exception e) {
                LOG.debug("replica {} could not say whether it reached {}: {}", r.name, position, e.getMessage());
            }
        }
        return null;
    }

    /** The MyBatis sessions of a replica's pool. */
    static SqlSessionFactory sessions(Replica r) {
        return r.db.sessions();
    }

    @Override
    public void close() {
        checker.shutdownNow();
        replicas.forEach(r -> r.db.close());
    }
}
