package dev.modelgate.cli;

import dev.modelgate.api.ClientConfig;
import dev.modelgate.api.SchemaBuilder;
import dev.modelgate.model.Models;
import dev.modelgate.model.ModelParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Prints a frontend's cache or codegen configuration for the derived API (also served under /client/). */
@Command(name = "client-config", mixinStandardHelpOptions = true,
        description = "Print a frontend's configuration for the derived API: Apollo typePolicies, urql keys, possibleTypes or codegen scalars.")
final class ClientConfigCommand implements Runnable {
    enum For { apollo, urql, possibleTypes, codegenScalars }

    @Option(names = "--schema", defaultValue = "${env:MODELGATE_SCHEMA:-schema}", description = "Model definitions, a file or folder (default: MODELGATE_SCHEMA, else schema).")
    Path schema;

    @Option(names = "--for", required = true, description = "apollo, urql, possibleTypes or codegenScalars")
    For target;

    @Option(names = "--big-numbers", defaultValue = "string", description = "string (the default) or number, as server.bigNumbers is set")
    String bigNumbers;

    @Override
    public void run() {
        Models models = ModelParser.parse(schema);
        ClientConfig c = new ClientConfig(models, SchemaBuilder.build(models), bigNumbers.equals("number"));
        System.out.print(switch (target) {
            case apollo -> c.apollo();
            case urql -> c.urql();
            case possibleTypes -> c.possibleTypes() + "\n";
            case codegenScalars -> c.codegenScalars() + "\n";
        });
    }
}
