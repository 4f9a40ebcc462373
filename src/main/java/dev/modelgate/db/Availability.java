package dev.modelgate.db;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the database answers. Once a statement finds it unreachable, requests fail at once
 * (instead of each waiting the pool's connection timeout) while one background probe asks for a
 * connection until the database answers again; then requests go through as before.
 */
final class Availability {
    private static final Logger LOG = LoggerFactory.getLogger(Availability.class);
    private static final long PROBE_PAUSE_MS = 100;

    private final HikariDataSource pool;
    private final AtomicBoolean down = new AtomicBoolean();

    Availability(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Whether the database was found unreachable and has not answered since. */
    boolean down() {
        return down.get();
    }

    /** A statement found the database unreachable: fail fast from now on, and probe until it answers. */
    void unreachable() {
        if (down.compareAndSet(false, true)) {
            LOG.warn("the database cannot be reached: requests fail at once until it answers again");
            // the pooled connections died with the server: replace them rather than hand them out again
            var bean = pool.getHikariPoolMXBean();
            if (bean != null) {
                bean.softEvictConnections();
            }
            Thread probe = new Thread(this::probe, "modelgate-database-probe");
            probe.setDaemon(true);
            probe.start();
        }
    }

    private void probe() {
        while (down.get() && !pool.isClosed()) {
            if (answers()) {
                down.set(false);
                LOG.info("the database answers again");
                return;
            }
            try {
                Thread.sleep(PROBE_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean answers() {
        try (Connection c = pool.getConnection()) {
            if (c.isValid(2)) {
                return true;
            }
            pool.evictConnection(c);   // a connection from before the outage: the next probe gets a new one
            return false;
        } catch (SQLException | RuntimeException e) {
            LOG.debug("database probe: {}", e.toString());
            return false;
        }
    }

    /**
     * Whether a connection can be had and answers within {@code millis}: at once false while the
     * database is known down; a check that takes longer reports it down (and goes on in the
     * background, where a failure marks the database down).
     */
    boolean check(long millis) {
        if (down()) {
            return false;
        }
        CompletableFuture<Boolean> check = CompletableFuture.supplyAsync(() -> {
            boolean up = answers();
            if (!up) {
                unreachable();
            }
            return up;
        });
        try {
            return check.get(millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
