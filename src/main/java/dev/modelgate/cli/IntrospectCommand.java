package dev.modelgate.cli;

import dev.modelgate.db.Database;
import dev.modelgate.db.Introspector;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints model definitions for an existing database; what it skipped goes to stderr. */
@Command(name = "introspect", mixinStandardHelpOptions = true, description = "Print model definitions read from an existing database.")
final class IntrospectCommand implements Runnable {
    @Mixin
    DbOptions options = new DbOptions();

    @Override
    public void run() {
        try (Database database = Database.open(options.url())) {
            System.out.print(Introspector.read(database).warn().sdl());
        }
    }
}
