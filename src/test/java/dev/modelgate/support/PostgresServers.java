package dev.modelgate.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL primary and a streaming replica of a test's own, on loopback: initdb and pg_ctl
 * from the installed server (as the postgres user when the test runs as root), the replica made by
 * pg_basebackup -R. Both stopped and removed when closed.
 */
public final class PostgresServers implements AutoCloseable {
    private final Path bin;
    private final Path root;
    private final List<Path> running = new ArrayList<>();
    public final int primaryPort;
    public final int replicaPort;

    public PostgresServers() throws Exception {
        Path versions = Path.of("/usr/lib/postgresql");
        Path found = null;
        if (Files.isDirectory(versions)) {
            try (var list = Files.list(versions)) {
                found = list.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))).sorted().reduce((a, b) -> b).orElse(null);
            }
        }
        if (found == null) {
            String message = "*** PostgreSQL's initdb is not installed; the PostgreSQL replica test cannot run ***";
            System.err.println(message);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        bin = found;
        root = Files.createTempDirectory("modelgate-postgres");
        run("chown", "postgres", root.toString());
        primaryPort = freePort();
        replicaPort = freePort();
        Path primary = root.resolve("primary");
        Path replica = root.resolve("replica");
        asPostgres(bin.resolve("initdb").toString(), "-D", primary.toString(), "-U", "postgres", "-A", "trust");
        Files.writeString(primary.resolve("pg_hba.conf"), "host replication all 127.0.0.1/32 trust\n", java.nio.file.StandardOpenOption.APPEND);
        start(primary, primaryPort);
        asPostgres(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", String.valueOf(primaryPort), "-U", "postgres",
                "-D", replica.toString(), "-R");
        start(replica, replicaPort);
    }

    private void start(Path dir, int port) throws Exception {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.toString(), "-w", "-l", dir + ".log",
                "-o", "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        running.add(dir);
    }

    public String url(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Runs statements as postgres on the server at {@code port}. */
    public void sql(int port, String... statements) {
        try (Connection c = DriverManager.getConnection(url(port, "postgres"), "postgres", ""); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Object value(int port, String database, String sql) {
        try (Connection c = DriverManager.getConnection(url(port, database), "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the replica has replayed everything the primary has written. */
    public void caughtUp() throws InterruptedException {
        String lsn = String.valueOf(value(primaryPort, "postgres", "SELECT pg_current_wal_lsn()"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Boolean.TRUE.equals(value(replicaPort, "postgres", "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replica did not reach " + lsn);
            }
            Thread.sleep(50);
        }
    }

    private void asPostgres(String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {   // initdb and the server refuse to run as root
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        run(cmd.toArray(String[]::new));
    }

    private void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Path dir : running) {
            try {
                asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.toString(), "-m", "immediate", "stop");
            } catch (Exception e) {
                System.err.println("could not stop the test's PostgreSQL in " + dir + ": " + e.getMessage());
            }
        }
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: left for the system to clear
        }
    }
}
