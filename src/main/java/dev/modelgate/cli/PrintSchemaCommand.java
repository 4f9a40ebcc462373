package dev.modelgate.cli;

import dev.modelgate.api.SchemaBuilder;
import dev.modelgate.exec.Gateway;
import dev.modelgate.model.ModelParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Prints the derived GraphQL API as SDL. */
@Command(name = "print-schema", mixinStandardHelpOptions = true, description = "Print the derived GraphQL API as SDL.")
final class PrintSchemaCommand implements Runnable {
    @Option(names = "--schema", defaultValue = "${env:MODELGATE_SCHEMA:-schema}", description = "Model definitions, a file or folder (default: MODELGATE_SCHEMA, else schema).")
    Path schema;

    @Override
    public void run() {
        System.out.print(Gateway.printSchema(SchemaBuilder.build(ModelParser.parse(schema))));
    }
}
