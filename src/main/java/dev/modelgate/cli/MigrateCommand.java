package dev.modelgate.cli;

import dev.modelgate.db.Connectivity;
import dev.modelgate.db.Database;
import dev.modelgate.error.CommandFailure;
import dev.modelgate.db.DbUrl;
import dev.modelgate.db.Migrations;
import dev.modelgate.migrate.Migrator;
import dev.modelgate.migrate.SchemaDiff;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code migrate diff | apply | status} (docs/migrations.md): the models stay the source of truth; the
 * database gets there through reviewed, versioned SQL files that Flyway applies and records.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Evolve the database with the models: write, apply and check versioned SQL migration files.",
        subcommands = {MigrateCommand.Diff.class, MigrateCommand.Apply.class, MigrateCommand.Status.class, MigrateCommand.Repair.class})
final class MigrateCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The options every migrate command takes. */
    static final class Target {
        @Mixin
        DbOptions database = new DbOptions();

        @Option(names = "--schema", defaultValue = "${env:MODELGATE_SCHEMA:-schema}", description = "Model definitions, a file or folder (default: MODELGATE_SCHEMA, else schema).")
        Path schema;

        @Option(names = "--migrations", description = "The migration files' folder (default: migrations beside the models, schema/migrations).")
        Path migrations;

        /** The database's address, once it answers: a refused login or an unreachable server stops here with the reason. */
        DbUrl url() {
            DbUrl url = database.url();
            if (!checked) {
                Connectivity.check(url, true, 0, System.err::println);   // a new SQLite file is the first migration's to make
                checked = true;
            }
            return url;
        }

        private boolean checked;

        Path dir() {
            return migrations != null ? migrations : MigrateCommand.defaultDir(schema);
        }

        /** Runs {@code action} on the migration files and their history; a failure is told as its cause and remedy. */
        <T> T migrations(java.util.function.Function<Migrations, T> action) {
            try {
                return action.apply(new Migrations(url(), dir()));
            } catch (Migrations.Failed e) {
                throw new CommandFailure(e.getMessage(), e.remedy(), CommandFailure.FAILED, e);
            }
        }

        List<String> pending() {
            return new Migrations(url(), dir()).files().stream().filter(f -> !f.applied()).map(Migrations.FileState::name).toList();
        }
    }

    /** {@code schema/migrations}: beside the model files (in the folder, or beside a single file). */
    static Path defaultDir(Path schema) {
        Path folder = java.nio.file.Files.isDirectory(schema) || schema.getParent() == null ? schema : schema.getParent();
        return folder.resolve("migrations");
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Write the next V<n>__<name>.sql: the SQL that takes the database to the models.")
    static final class Diff implements Callable<Integer> {
        @Mixin
        Target target = new Target();

        @Option(names = "--name", description = "What the file is called after V<n>__ (default: models).")
        String name;

        @Option(names = "--allow-destructive", description = "Also write drops, narrowing and NULL → NOT NULL.")
        boolean allowDestructive;

        @Override
        public Integer call() {
            Models models = ModelParser.parse(target.schema);
            List<String> pending = target.pending();
            try (Database db = Database.open(target.url())) {
                Migrator.Outcome out = Migrator.diff(models, db, target.dir(), name, allowDestructive, pending);
                if (!out.refused().isEmpty()) {
                    out.refused().forEach(r -> System.err.println("modelgate: " + r));
                    System.err.println("modelgate: nothing written");
                    return Main.USAGE;
                }
                if (!out.wrote()) {
                    System.out.println("nothing to do: the database matches the models");
                    return 0;
                }
                System.out.println("wrote " + out.file());
                out.changes().forEach(c -> System.out.println("  " + c.describe() + (c.destructive() ? "   (destructive)" : "")));
                return 0;
            }
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Apply the pending migration files in order and record them.")
    static final class Apply implements Callable<Integer> {
        @Mixin
        Target target = new Target();

        @Override
        public Integer call() {
            List<String> applied = target.migrations(Migrations::apply);
            if (applied.isEmpty()) {
                System.out.println("nothing to apply: every file is applied");
            }
            applied.forEach(f -> System.out.println("applied " + f));
            return 0;
        }
    }

    @Command(name = "repair", mixinStandardHelpOptions = true,
            description = "Make the history match the files as they are now: realign the checksums of edited applied files and remove failed rows. Only when an edit of an applied file is meant.")
    static final class Repair implements Callable<Integer> {
        @Mixin
        Target target = new Target();

        @Override
        public Integer call() {
            System.out.println(target.migrations(Migrations::repair));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "List applied and pending files; exit 1 when the database does not match the models (drift or pending files).")
    static final class Status implements Callable<Integer> {
        @Mixin
        Target target = new Target();

        @Override
        public Integer call() {
            Models models = ModelParser.parse(target.schema);
            List<Migrations.FileState> files = new Migrations(target.url(), target.dir()).files();
            files.forEach(f -> System.out.println((f.applied() ? "applied  " : "pending  ") + f.name()));
            boolean pending = files.stream().anyMatch(f -> !f.applied());
            try (Database db = Database.open(target.url())) {
                SchemaDiff.Result diff = Migrator.compare(models, db);
                if (diff.changes().isEmpty() && !pending) {
                    System.out.println("the database matches the models");
                    return 0;
                }
                if (pending) {
                    System.out.println("pending files: run migrate apply");
                }
                if (!diff.changes().isEmpty()) {
                    System.out.println("the database differs from the models:");
                    diff.changes().forEach(c -> System.out.println("  " + c.describe()));
                }
                return 1;
            }
        }
    }
}
