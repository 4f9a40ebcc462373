package dev.modelgate.cli;

import dev.modelgate.exec.Database;
import dev.modelgate.exec.DbUrl;
import dev.modelgate.exec.Gateway;
import dev.modelgate.exec.SchemaSetup;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.server.HttpServer;
import io.javalin.Javalin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Serves the derived GraphQL API over HTTP until stopped (SIGTERM or Ctrl-C). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the GraphQL API (the default command).")
final class ServeCommand implements Runnable {
    private static volatile boolean served;

    @Option(names = "--schema", defaultValue = "schema", description = "Model definitions, a file or folder (default: ${DEFAULT-VALUE}).")
    Path schema;

    @Option(names = "--db", description = "JDBC URL or SQLAlchemy-style URL (default: embedded SQLite file modelgate.db).")
    String db;

    @Option(names = "--db-user", defaultValue = "${env:MODELGATE_DB_USER}", description = "Database user (or MODELGATE_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:MODELGATE_DB_PASSWORD}", description = "Database password (or MODELGATE_DB_PASSWORD).")
    String dbPassword;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on; 0 picks a free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--create-tables", description = "Create the models' missing tables at start.")
    boolean createTables;

    static boolean served() {
        return served;
    }

    @Override
    public void run() {
        if (port < 0 || port > 65535) {
            throw new Main.UsageException("--port must be between 0 and 65535");
        }
        Models models = ModelParser.parse(schema);
        boolean embeddedDefault = db == null;
        Database database = Database.open(DbUrl.parse(db, dbUser, dbPassword));
        try {
            if (createTables || embeddedDefault) {
                Path seed = (Files.isDirectory(schema) ? schema : schema.toAbsolutePath().getParent()).resolve("seed.sql");
                SchemaSetup.createMissingTablesAndSeed(database, models, seed);
            }
            Gateway gateway = new Gateway(models, database);
            Javalin app = HttpServer.create(gateway).start(host, port);
            served = true;
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.stop();
                database.close();
                stopped.countDown();
            }, "modelgate-shutdown"));
            System.out.println("modelgate listening on http://" + host + ":" + app.port() + "/graphql");
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
