package dev.modelgate.cli;

import dev.modelgate.exec.DbUrl;
import picocli.CommandLine.Option;

/** The database flags shared by the commands that connect. */
final class DbOptions {
    @Option(names = "--db", description = "JDBC URL or SQLAlchemy-style URL (default: embedded SQLite file modelgate.db).")
    String db;

    @Option(names = "--db-user", defaultValue = "${env:MODELGATE_DB_USER}", description = "Database user (or MODELGATE_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:MODELGATE_DB_PASSWORD}", description = "Database password (or MODELGATE_DB_PASSWORD).")
    String dbPassword;

    DbUrl url() {
        return DbUrl.parse(db, dbUser, dbPassword);
    }
}
