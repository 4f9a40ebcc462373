package dev.modelgate.cli;

import dev.modelgate.exec.Database;
import dev.modelgate.exec.Introspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints model definitions for an existing database; what it skipped goes to stderr. */
@Command(name = "introspect", mixinStandardHelpOptions = true, description = "Print model definitions read from an existing database.")
final class IntrospectCommand implements Runnable {
    @Mixin
    DbOptions db;

    @Override
    public void run() {
        try (Database database = Database.open(db.url())) {
            Introspector.Result result = Introspector.read(database);
            result.warnings().forEach(w -> System.err.println("modelgate: warning: " + w));
            System.out.print(result.sdl());
        }
    }
}
