package dev.modelgate.cli;

import dev.modelgate.model.ModelException;
import dev.modelgate.model.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.modelgate.error.CommandFailure;
import dev.modelgate.error.Suggestions;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code java -jar modelgate.jar [serve|ddl|print-schema|introspect|migrate] [options]}; serve is the default. */
@Command(name = "modelgate", mixinStandardHelpOptions = true, version = "modelgate 0.1.0",
        description = "A GraphQL gateway over relational models.",
        subcommands = {ServeCommand.class, DdlCommand.class, PrintSchemaCommand.class, ClientConfigCommand.class, IntrospectCommand.class, MigrateCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status for a bad flag or a bad model file. */
    public static final int USAGE = CommandFailure.USAGE;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Main.class);
    private static final List<String> COMMANDS = List.of("serve", "ddl", "print-schema", "introspect", "migrate", "help");
    private static final Set<String> TOP_LEVEL = Set.of("-h", "--help", "-V", "--version");
    private static volatile boolean verbose;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the full stack trace of a failure (it always goes to the log).")
    void verbose(boolean on) {
        verbose |= on;
    }

    public static void main(String[] args) {
        int status = run(args);
        if (status != 0 || !ServeCommand.served()) {
            System.exit(status);
        }
    }

    /** Runs the command line; returns the exit status (serve returns once the server stops). */
    public static int run(String... args) {
        List<String> argv = new ArrayList<>(Arrays.asList(args));
        CommandLine cl = new CommandLine(new Main());
        if (!argv.isEmpty() && !argv.get(0).startsWith("-") && !COMMANDS.contains(argv.get(0))) {
            return unknownCommand(argv.get(0), cl.getErr());
        }
        if (argv.isEmpty() || !(COMMANDS.contains(argv.get(0)) || TOP_LEVEL.contains(argv.get(0)))) {
            argv.add(0, "serve");
        }
        cl.setExecutionExceptionHandler(Main::failed);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("modelgate: " + ex.getMessage());
            List<String> near = ex instanceof CommandLine.UnmatchedArgumentException u ? suggestions(u) : List.of();
            String help = "modelgate " + (ex.getCommandLine().getParent() != null && ex.getCommandLine().getParent().getParent() != null
                    ? ex.getCommandLine().getParent().getCommandName() + " " : "") + ex.getCommandLine().getCommandName() + " --help";
            err.println("  fix: " + (near.isEmpty() ? "" : "did you mean " + String.join(" or ", near) + "? ") + "see " + help);
            return USAGE;
        });
        return cl.execute(argv.toArray(String[]::new));
    }

    /** The closest options or subcommands to each unmatched word. */
    private static List<String> suggestions(CommandLine.UnmatchedArgumentException u) {
        CommandLine.Model.CommandSpec spec = u.getCommandLine().getCommandSpec();
        List<String> names = new ArrayList<>(spec.optionsMap().keySet());
        names.addAll(spec.subcommands().keySet());
        List<String> out = new ArrayList<>();
        for (String word : u.getUnmatched()) {
            String near = Suggestions.closest(word.contains("=") ? word.substring(0, word.indexOf('=')) : word, names);
            if (near != null && !out.contains(near)) {
                out.add(near);
            }
        }
        return out;
    }

    /** A first word that is neither a command nor a flag: the closest command, rather than "unmatched argument". */
    private static int unknownCommand(String word, PrintWriter err) {
        err.println("modelgate: unknown command '" + word + "'");
        String near = Suggestions.closest(word, COMMANDS);
        err.println("  fix: " + (near != null ? "did you mean '" + near + "'? " : "") + "the commands are " + String.join(", ", COMMANDS)
                + " (modelgate help)");
        err.flush();
        return USAGE;
    }

    private static int failed(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        LOG.debug("command failed", e);
        if (e instanceof ModelException m) {
            for (Problem p : m.problems()) {
                err.println(p);
            }
            return USAGE;
        }
        if (e instanceof CommandFailure f) {
            err.println("modelgate: " + f.getMessage());
            if (f.remedy() != null) {
                err.println("  fix: " + f.remedy());
            }
            trace(e, err);
            return f.status();
        }
        if (e instanceof UsageException || e instanceof IllegalArgumentException) {
            err.println("modelgate: " + e.getMessage());
            trace(e, err);
            return USAGE;
        }
        Throwable root = dev.modelgate.error.ErrorMapper.rootCause(e);
        String what = e instanceof dev.modelgate.error.GatewayException g ? g.getMessage() + (root == g ? "" : ": " + firstLine(root)) : firstLine(root);
        err.println("modelgate: " + what);
        if (verbose) {
            trace(e, err);
        } else {
            err.println("  fix: run again with --verbose for the details");
        }
        return 1;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.lines().findFirst().orElse("").trim();
    }

    private static void trace(Exception e, PrintWriter err) {
        if (verbose) {
            e.printStackTrace(err);
        }
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
