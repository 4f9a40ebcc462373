package dev.modelgate.cli;

import dev.modelgate.db.DbUrl;
import picocli.CommandLine.Option;

/** The database a tool command works on: {@code --db} with its user and password. */
final class DbOptions {
    @Option(names = "--db", required = true, description = "JDBC URL or SQLAlchemy-style URL.")
    String db;

    @Option(names = "--db-user", defaultValue = "${env:MODELGATE_DB_USER}", description = "Database user (or MODELGATE_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:MODELGATE_DB_PASSWORD}", description = "Database password (or MODELGATE_DB_PASSWORD).")
    String dbPassword;

    DbUrl url() {
        return DbUrl.parse(db, dbUser, dbPassword);
    }
}
