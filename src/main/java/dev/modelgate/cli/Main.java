package dev.modelgate.cli;

import dev.modelgate.model.ModelException;
import dev.modelgate.model.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code java -jar modelgate.jar [serve|ddl|print-schema|introspect|migrate] [options]}; serve is the default. */
@Command(name = "modelgate", mixinStandardHelpOptions = true, version = "modelgate 0.1.0",
        description = "A GraphQL gateway over relational models.",
        subcommands = {ServeCommand.class, DdlCommand.class, PrintSchemaCommand.class, IntrospectCommand.class, MigrateCommand.class})
public final class Main implements Runnable {
    /** Exit status for a bad flag or a bad model file. */
    public static final int USAGE = 2;
    private static final Set<String> COMMANDS = Set.of("serve", "ddl", "print-schema", "introspect", "migrate", "help", "-h", "--help", "-V", "--version");

    public static void main(String[] args) {
        int status = run(args);
        if (status != 0 || !ServeCommand.served()) {
            System.exit(status);
        }
    }

    /** Runs the command line; returns the exit status (serve returns once the server stops). */
    public static int run(String... args) {
        List<String> argv = new ArrayList<>(Arrays.asList(args));
        if (argv.isEmpty() || !COMMANDS.contains(argv.get(0))) {
            argv.add(0, "serve");
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::failed);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("modelgate: " + ex.getMessage());
            return USAGE;
        });
        return cl.execute(argv.toArray(String[]::new));
    }

    private static int failed(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof ModelException m) {
            for (Problem p : m.problems()) {
                err.println(p);
            }
            return USAGE;
        }
        if (e instanceof UsageException || e instanceof IllegalArgumentException) {
            err.println("modelgate: " + e.getMessage());
            return USAGE;
        }
        if (e instanceof dev.modelgate.error.GatewayException g) {
            // the operator's console, not a client: the root cause helps here
            Throwable root = dev.modelgate.error.ErrorMapper.rootCause(g);
            err.println("modelgate: " + g.getMessage() + (root == g ? "" : ": " + root.getMessage()));
            return 1;
        }
        err.println("modelgate: " + e);
        return 1;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** A bad flag value found after parsing. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
