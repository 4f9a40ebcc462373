package dev.modelgate.cli;

import dev.modelgate.db.Connectivity;
import dev.modelgate.db.Database;
import dev.modelgate.db.DbUrl;
import dev.modelgate.error.CommandFailure;
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
        DbUrl url = options.url();
        Connectivity.check(url, false, 0, System.err::println);
        try (Database database = Database.open(url)) {
            requireTables(database, url);
            System.out.print(Introspector.read(database).warn().sdl());
        }
    }

    /** A database with no tables has nothing to read: say so rather than print (or serve) nothing. */
    static void requireTables(Database database, DbUrl url) {
        java.util.Set<String> tables = new java.util.HashSet<>(database.tableNames());
        tables.remove(dev.modelgate.db.Migrations.HISTORY);
        if (tables.isEmpty() && database.viewNames().isEmpty()) {
            throw new CommandFailure("the database at " + url.display() + " has no tables to read",
                    "check the database name in --db; to start from models instead, serve --schema PATH --create-tables",
                    CommandFailure.FAILED);
        }
    }
}
