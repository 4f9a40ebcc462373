package dev.modelgate.cli;

import dev.modelgate.db.Database;
import dev.modelgate.db.DbUrl;
import dev.modelgate.db.Introspector;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints model definitions for an existing database; what it skipped goes to stderr. */
@Command(name = "introspect", mixinStandardHelpOptions = true, description = "Print model definitions read from an existing database.")
final class IntrospectCommand implements Runnable {
    @Option(names = "--db", required = true, description = "JDBC URL or SQLAlchemy-style URL.")
    String db;

    @Option(names = "--db-user", defaultValue = "${env:MODELGATE_DB_USER}", description = "Database user (or MODELGATE_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:MODELGATE_DB_PASSWORD}", description = "Database password (or MODELGATE_DB_PASSWORD).")
    String dbPassword;

    @Override
    public void run() {
        try (Database database = Database.open(DbUrl.parse(db, dbUser, dbPassword))) {
            System.out.print(Introspector.read(database).warn().sdl());
        }
    }
}
