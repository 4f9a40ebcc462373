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
 * Real MariaDB servers of a test's own, on loopback: each a {@code mariadbd} process with its data
 * directory under a temporary folder, started with the binary log (GTID replication) and removed
 * when closed. A replica follows its primary by GTID ({@code MASTER_USE_GTID=slave_pos}).
 */
public final class MariadbServers implements AutoCloseable {
    /** One running server. */
    public static final class Server {
        public final int port;
        final Path dir;
        final List<String> command;
        Process process;

        Server(int port, Path dir, List<String> command, Process process) {
            this.port = port;
            this.dir = dir;
            this.command = command;
            this.process = process;
        }

        /** Starts the server again on its data and port (after {@link #kill}), and waits until it answers. */
        public void restart() throws Exception {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
            awaitConnections(this);
        }

        public String url(String database) {
            return "jdbc:mysql://127.0.0.1:" + port + "/" + database;
        }

        /** Runs statements as root. */
        public void sql(String... statements) {
            try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", "root", ""); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The first column of the first row of a query (null: no row). */
        public Object value(String sql) {
            try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", "root", "");
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? rs.getObject(1) : null;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Kills the server at once (SIGKILL), as a crash would. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private final Path root;
    private final List<Server> servers = new ArrayList<>();

    public MariadbServers() {
        if (!Files.isExecutable(Path.of("/usr/sbin/mariadbd")) || !Files.isExecutable(Path.of("/usr/bin/mariadb-install-db"))) {
            String message = "*** mariadbd / mariadb-install-db are not installed; the replication tests cannot run ***";
            System.err.println(message);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        try {
            root = Files.createTempDirectory("modelgate-mariadb");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A new server with the binary log on, as a primary (or a replica to be) is. */
    public Server start(int serverId, String... options) throws Exception {
        return start(serverId, false, options);
    }

    /** {@code sstJoiner}: the data directory is copied in by rsync (a Galera node joining), whose daemon runs as nobody under root. */
    private Server start(int serverId, boolean sstJoiner, String... options) throws Exception {
        Path dir = root.resolve("s" + serverId);
        Files.createDirectories(dir);
        Process install = new ProcessBuilder("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"), "--user=root",
                "--auth-root-authentication-method=normal", "--skip-test-db").redirectErrorStream(true)
                .redirectOutput(dir.resolve("install.log").toFile()).start();
        if (!install.waitFor(60, TimeUnit.SECONDS) || install.exitValue() != 0) {
            throw new IllegalStateException("mariadb-install-db failed: " + Files.readString(dir.resolve("install.log")));
        }
        if (sstJoiner && "root".equals(System.getProperty("user.name"))) {
            new ProcessBuilder("chown", "-R", "nobody:nogroup", dir.resolve("data").toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of("mariadbd", "--no-defaults", "--datadir=" + dir.resolve("data"), "--user=root",
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("sock"), "--pid-file=" + dir.resolve("pid"),
                "--server-id=" + serverId, "--log-bin=" + dir.resolve("data").resolve("bin"), "--binlog-format=ROW", "--log-slave-updates",
                "--innodb-buffer-pool-size=32M", "--skip-name-resolve", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        Server s = new Server(port, dir, List.copyOf(cmd), p);
        servers.add(s);
        awaitConnections(s);
        return s;
    }

    private static void awaitConnections(Server s) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + s.port + "/?connectTimeout=2000", "root", "")) {
                return;
            } catch (SQLException e) {
                if (!s.process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("mariadbd did not start: " + Files.readString(s.dir.resolve("server.log")), e);
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * A MariaDB Galera cluster of {@code n} nodes on loopback (Debian's galera-4): the first
     * bootstraps it, the others join and take a copy of it by rsync (SST).
     */
    public List<Server> galera(int n) throws Exception {
        String provider = "/usr/lib/galera/libgalera_smm.so";
        if (!Files.exists(Path.of(provider))) {
            String message = "*** galera-4 is not installed (apt-get install galera-4 rsync); the cluster tests cannot run ***";
            System.err.println(message);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = freePort();
        }
        StringBuilder members = new StringBuilder("gcomm://");
        for (int i = 0; i < n; i++) {
            members.append(i > 0 ? "," : "").append("127.0.0.1:").append(group[i]);
        }
        List<Server> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> options = new ArrayList<>(List.of("--wsrep-on=ON", "--wsrep-provider=" + provider,
                    "--wsrep-cluster-name=modelgate-test", "--wsrep-node-name=node" + (i + 1),
                    "--wsrep-cluster-address=" + (i == 0 ? "gcomm://" : members),
                    "--wsrep-node-address=127.0.0.1:" + group[i],
                    "--wsrep-provider-options=base_port=" + group[i] + "; gmcast.listen_addr=tcp://127.0.0.1:" + group[i]
                            + "; ist.recv_addr=127.0.0.1:" + freePort() + "; gcache.size=32M",
                    "--wsrep-sst-method=rsync", "--wsrep-sst-receive-address=127.0.0.1:" + freePort(),
                    "--default-storage-engine=InnoDB", "--innodb-autoinc-lock-mode=2", "--wsrep-slave-threads=2"));
            if (i == 0) {
                options.add("--wsrep-new-cluster");
            }
            Server node = start(100 + i, i > 0, options.toArray(String[]::new));
            waitForSynced(node, i + 1);
            nodes.add(node);
        }
        return nodes;
    }

    /** Waits until {@code node} says it is synced in a cluster of {@code size}. */
    private static void waitForSynced(Server node, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                Object state = node.value("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT'");
                Object members = node.value("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_CLUSTER_SIZE'");
                if ("Synced".equals(String.valueOf(state)) && String.valueOf(size).equals(String.valueOf(members))) {
                    return;
                }
            } catch (RuntimeException e) {
                // still joining
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node on port " + node.port + " did not sync into a cluster of " + size);
            }
            Thread.sleep(250);
        }
    }

    /** Makes {@code replica} follow {@code primary} from its first transaction, by GTID. */
    public static void replicate(Server primary, Server replica) {
        replica.sql("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port
                + ", MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1", "START SLAVE");
    }

    /** Waits until {@code replica} has applied everything {@code primary} has written. */
    public static void caughtUp(Server primary, Server replica) {
        String pos = String.valueOf(primary.value("SELECT @@gtid_binlog_pos"));
        Object r = replica.value("SELECT MASTER_GTID_WAIT('" + pos + "', 30)");
        if (!(r instanceof Number n) || n.intValue() != 0) {
            throw new IllegalStateException("the replica did not reach " + pos + " in 30 s");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Server s : servers) {
            s.process.destroy();
            try {
                if (!s.process.waitFor(20, TimeUnit.SECONDS)) {
                    s.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: left for the system to clear
        }
    }
}
