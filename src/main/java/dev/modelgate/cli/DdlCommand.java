package dev.modelgate.cli;

import dev.modelgate.model.ModelParser;
import dev.modelgate.sql.DdlGenerator;
import dev.modelgate.sql.Dialects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Prints the DDL that creates the models' tables on one database. */
@Command(name = "ddl", mixinStandardHelpOptions = true, description = "Print the DDL of the models for a database.")
final class DdlCommand implements Runnable {
    @Option(names = "--schema", defaultValue = "${env:MODELGATE_SCHEMA:-schema}", description = "Model definitions, a file or folder (default: MODELGATE_SCHEMA, else schema).")
    Path schema;

    @Option(names = "--dialect", defaultValue = "sqlite", description = "sqlite, mysql, mariadb, postgresql or h2 (default: ${DEFAULT-VALUE}).")
    String dialect;

    @Override
    public void run() {
        System.out.print(new DdlGenerator(ModelParser.parse(schema), Dialects.byName(dialect)).script());
    }
}
