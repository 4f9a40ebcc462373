package dev.modelgate.cli;

import dev.modelgate.exec.Database;
import dev.modelgate.exec.Gateway;
import dev.modelgate.exec.Introspector;
import dev.modelgate.exec.SchemaSetup;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.server.HttpServer;
import io.javalin.Javalin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Serves the derived GraphQL API over HTTP until stopped (SIGTERM or Ctrl-C). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the GraphQL API (the default command).")
final class ServeCommand implements Runnable {
    private static volatile boolean served;

    @Option(names = "--schema", defaultValue = "schema", description = "Model definitions, a file or folder (default: ${DEFAULT-VALUE}).")
    Path schema;

    @Mixin
    DbOptions db;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on; 0 picks a free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--create-tables", description = "Create the models' missing tables at start.")
    boolean createTables;

    @Option(names = "--introspect", description = "Derive the models from the live database instead of --schema.")
    boolean introspect;

    private static Models introspected(Database database) {
        Introspector.Result result = Introspector.read(database);
        result.warnings().forEach(w -> System.err.println("modelgate: warning: " + w));
        return ModelParser.parse(List.of(new ModelParser.Source("(introspected)", result.sdl())));
    }

    static boolean served() {
        return served;
    }

    @Override
    public void run() {
        if (port < 0 || port > 65535) {
            throw new Main.UsageException("--port must be between 0 and 65535");
        }
        if (introspect && createTables) {
            throw new Main.UsageException("--introspect serves the tables that exist; it cannot be combined with --create-tables");
        }
        Models models = introspect ? null : ModelParser.parse(schema);
        boolean embeddedDefault = db.db == null && !introspect;
        Database database = Database.open(db.url());
        try {
            if (introspect) {
                models = introspected(database);
            } else if (createTables || embeddedDefault) {
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
