package dev.modelgate.cli;

import dev.modelgate.db.Connectivity;
import dev.modelgate.db.Database;
import dev.modelgate.db.DbUrl;
import dev.modelgate.db.Introspector;
import dev.modelgate.db.SchemaSetup;

import dev.modelgate.auth.Authenticator;
import dev.modelgate.config.Config;
import dev.modelgate.error.CommandFailure;
import dev.modelgate.exec.Gateway;
import dev.modelgate.migrate.Migrator;
import dev.modelgate.exec.Telemetry;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.server.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Serves the derived GraphQL API over HTTP until stopped (SIGTERM or Ctrl-C). Settings come
 * from the defaults, then {@code --config}, then {@code MODELGATE_*} variables, then flags.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the GraphQL API (the default command).")
final class ServeCommand implements Runnable {
    private static volatile boolean served;

    @Option(names = "--config", description = "A YAML file with every setting; MODELGATE_* environment variables override it.")
    Path configFile;

    @Option(names = "--schema", description = "Model definitions, a file or folder (default: schema).")
    Path schema;

    @Option(names = "--mappers", description = "MyBatis mapper XML folder (default: mappers).")
    Path mappers;

    @Option(names = "--db", description = "JDBC URL or SQLAlchemy-style URL (default: embedded SQLite file modelgate.db).")
    String db;

    @Option(names = "--db-user", description = "Database user (or MODELGATE_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", description = "Database password (or MODELGATE_DB_PASSWORD).")
    String dbPassword;

    @Option(names = "--host", description = "Address to listen on (default: 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Port to listen on; 0 picks a free port (default: 8080).")
    Integer port;

    @Option(names = "--create-tables", description = "Create the models' missing tables at start.")
    boolean createTables;

    @Option(names = "--introspect", description = "Derive the models from the live database instead of --schema.")
    boolean introspect;

    @Option(names = "--migrate", description = "Apply the pending migration files before serving (see migrate apply).")
    boolean migrate;

    @Option(names = "--migrations", description = "The migration files' folder (default: schema/migrations).")
    Path migrations;

    @Option(names = "--admin-secret", description = "The admin secret, sent as X-Modelgate-Admin-Secret (or MODELGATE_ADMIN_SECRET).")
    String adminSecret;

    @Option(names = "--jwt-secret", description = "HS256 secret for bearer tokens, at least 32 bytes (or MODELGATE_JWT_SECRET).")
    String jwtSecret;

    @Option(names = "--jwt-public-key", description = "A PEM public key file for RS256/ES256 bearer tokens.")
    Path jwtPublicKey;

    @Option(names = "--jwks", description = "A JWKS file with the public keys of RS256/ES256 bearer tokens.")
    Path jwks;

    static boolean served() {
        return served;
    }

    /** The settings: file and environment, then the flags given. */
    Config config() {
        Config c = Config.load(configFile, System.getenv());
        if (schema != null) {
            c.schema = schema.toString();
        }
        if (mappers != null) {
            c.mappers = mappers.toString();
        }
        if (db != null) {
            c.database.url = db;
        }
        if (dbUser != null) {
            c.database.user = dbUser;
        }
        if (dbPassword != null) {
            c.database.password = dbPassword;
        }
        if (host != null) {
            c.server.host = host;
        }
        if (port != null) {
            c.server.port = port;
        }
        if (adminSecret != null) {
            c.auth.adminSecret = adminSecret;
        }
        if (jwtSecret != null) {
            c.auth.jwtSecret = jwtSecret;
        }
        if (jwtPublicKey != null) {
            c.auth.jwtPublicKey = jwtPublicKey.toString();
        }
        if (jwks != null) {
            c.auth.jwks = jwks.toString();
        }
        c.database.createTables |= createTables;
        c.database.introspect |= introspect;
        return c;
    }

    private static void checkLimits(Config.Limits l) {
        if (l.maxDepth < 1 || l.maxFields < 1 || l.maxAliases < 0 || l.maxOperations < 1 || l.maxRows < 1
                || l.statementTimeoutSeconds < 0 || l.maxKeysPerStatement < 0) {
            throw new Main.UsageException("limits: maxDepth, maxFields, maxOperations and maxRows must be at least 1; "
                    + "maxAliases, statementTimeoutSeconds and maxKeysPerStatement at least 0");
        }
    }

    /**
     * The models against the tables, as {@code migrate status} compares them: a missing table or
     * column, or a column that cannot hold its field, stops the start with the list and the fix.
     */
    private static void requireServable(Models models, Database database, DbUrl url, Path schemaPath) {
        List<String> problems = Migrator.unservable(models, database);
        if (problems.isEmpty()) {
            return;
        }
        java.util.Set<String> tables = database.tableNames();
        boolean none = models.all().stream().noneMatch(m -> tables.contains(m.table().toLowerCase(java.util.Locale.ROOT)));
        String command = "modelgate migrate diff --schema " + schemaPath + " --db '" + url.display() + "'";
        throw new CommandFailure("the database does not match the models:\n  " + String.join("\n  ", problems),
                none ? "add --create-tables to create the models' tables, or write a migration with: " + command
                        : "write the migration that brings the database to the models with: " + command
                        + ", then run migrate apply (or serve --migrate)", CommandFailure.USAGE);
    }

    @Override
    public void run() {
        Config c = config();
        c.warnings.forEach(w -> System.err.println("modelgate: warning: " + w));
        if (c.server.port < 0 || c.server.port > 65535) {
            throw new Main.UsageException("--port must be between 0 and 65535");
        }
        if (c.database.introspect && c.database.createTables) {
            throw new Main.UsageException("--introspect serves the tables that exist; it cannot be combined with --create-tables");
        }
        checkLimits(c.limits);
        if (c.database.retries < 0) {
            throw new Main.UsageException("database.retries must be at least 0");
        }
        Authenticator auth = new Authenticator(c.auth);    // a bad key or short secret stops here, before the database
        Path schemaPath = Path.of(c.schema);
        Models models = c.database.introspect ? null : ModelParser.parse(schemaPath);
        boolean embeddedDefault = (c.database.url == null || c.database.url.isBlank()) && !c.database.introspect;
        DbUrl url = DbUrl.parse(c.database.url, c.database.user, c.database.password);
        // before "listening": a refused login or a missing database stops here, with the driver's reason
        Connectivity.check(url, embeddedDefault || c.database.createTables || migrate, c.database.startupWaitSeconds, System.err::println);
        if (migrate) {   // before the pool opens: Flyway has connections of its own
            try {
                new dev.modelgate.db.Migrations(url, migrations != null ? migrations : MigrateCommand.defaultDir(schemaPath))
                        .apply().forEach(f -> System.out.println("applied " + f));
            } catch (dev.modelgate.db.Migrations.Failed e) {
                throw new CommandFailure("a migration failed: " + e.getMessage(), e.remedy(), CommandFailure.FAILED, e);
            }
        }
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        Database database = Database.open(url, c.database.poolSize, metrics);
        if (!c.database.replicas.isEmpty()) {   // the reads of query operations go to the replicas
            List<DbUrl> replicas = c.database.replicas.stream().map(r -> DbUrl.parse(r, c.database.user, c.database.password)).toList();
            database.readFrom(new dev.modelgate.db.Replicas(replicas, c.database.poolSize == null ? 10 : c.database.poolSize,
                    c.database.maxReplicaLagSeconds));
        }
        try {
            if (c.database.introspect) {
                IntrospectCommand.requireTables(database, url);
                models = Introspector.read(database).warn().models();
            } else {
                if (c.database.createTables || embeddedDefault) {
                    Path seed = (Files.isDirectory(schemaPath) ? schemaPath : schemaPath.toAbsolutePath().getParent()).resolve("seed.sql");
                    SchemaSetup.createMissingTablesAndSeed(database, models, seed);
                }
                requireServable(models, database, url, schemaPath);
            }
            database.loadMappers(Path.of(c.mappers));
            if (!List.of("string", "number").contains(c.server.bigNumbers)) {
                throw new dev.modelgate.error.CommandFailure("server.bigNumbers is \"" + c.server.bigNumbers + "\"",
                        "set it to string (Long and BigDecimal as exact strings, the default) or number (plain JSON numbers)", 2);
            }
            Gateway gateway = new Gateway(models, database, new Telemetry(metrics).tracing(dev.modelgate.exec.Tracing.configure(c.tracing.enabled)), c.limits).retries(c.database.retries)
                    .bigNumbersAsNumbers(c.server.bigNumbers.equals("number"));
            if (!models.allows().isEmpty() && !auth.configured()) {
                System.err.println("modelgate: permissions are declared but no admin secret or JWT key is set; every request runs as anonymous");
            }
            HttpServer server = HttpServer.create(gateway, c.server, c.subscriptions, metrics, auth);
            if (c.security.trustedDocuments != null && !c.security.trustedDocuments.isBlank()) {
                server.trustedDocuments(Path.of(c.security.trustedDocuments), gateway.schema());
            }
            server.start(c.server.host, c.server.port);
            served = true;
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.stop();       // requests in flight finish first
                database.close();
                stopped.countDown();
            }, "modelgate-shutdown"));
            String base = "http://" + c.server.host + ":" + server.port();
            System.out.println("modelgate listening on " + base + "/graphql");
            if (c.server.graphiql) {
                System.out.println("modelgate explorer at " + base + "/graphiql");
            }
            System.out.flush();
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }
}
