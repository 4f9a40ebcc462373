package dev.modelgate.error;

import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Relation;
import dev.modelgate.model.RelationKind;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a constraint violation reported by the database into a message naming the model and
 * field, read from the driver's message (SQLite, PostgreSQL, MySQL/MariaDB, H2 wordings) but never
 * echoing it: clients see only model and field names.
 */
public final class Constraints {
    private static final Pattern SQLITE = Pattern.compile("(UNIQUE|NOT NULL|CHECK) constraint failed: \"?([\\w$]+)\"?\\.\"?([\\w$]+)");
    private static final Pattern PG_KEY = Pattern.compile("Key \\(\"?([\\w$]+)\"?\\)=");
    private static final Pattern MYSQL_DUPLICATE = Pattern.compile("Duplicate entry .* for key '(?:[\\w$]+\\.)?([\\w$]+)'");
    private static final Pattern MYSQL_NULL = Pattern.compile("Column '([\\w$]+)' cannot be null");
    private static final Pattern MYSQL_NO_DEFAULT = Pattern.compile("Field '([\\w$]+)' doesn't have a default value");
    private static final Pattern FOREIGN_KEY = Pattern.compile("FOREIGN KEY ?\\([`\"]?([\\w$]+)");   // MySQL, H2
    private static final Pattern H2_UNIQUE = Pattern.compile("violation: \".*? ON [\\w$]+\\.\"?[\\w$]+\"?\\(\"?([\\w$]+)");
    private static final Pattern H2_NULL = Pattern.compile("NULL not allowed for column \"([\\w$]+)\"");

    private Constraints() {
    }

    public static GatewayException describe(GatewayException g, Models models, Model writing) {
        if (g.code() != ErrorCode.CONSTRAINT_VIOLATION || g.getCause() == null) {
            return g;
        }
        DatabaseFailure sql = ErrorMapper.find(g.getCause(), DatabaseFailure.class);
        if (sql == null) {
            return g;
        }
        String text = sql.text();
        String state = sql.sqlState();
        Matcher m = SQLITE.matcher(text);
        if (m.find()) {
            Optional<Model> model = byTable(models, m.group(2));
            Model at = model.orElse(writing);
            String field = fieldName(at, m.group(3));
            return switch (m.group(1)) {
                case "UNIQUE" -> violation(at.name() + "." + field + ": another " + at.name() + " already has this value", g);
                case "NOT NULL" -> violation(at.name() + "." + field + " must not be null", g);
                default -> violation(at.name() + "." + field + ": the value breaks a check constraint", g);
            };
        }
        if (text.contains("FOREIGN KEY constraint failed")) {
            return violation(foreignKeyMessage(models, writing, null), g);
        }
        String column = group(PG_KEY, text);
        if (state.equals("23505") || text.contains("Duplicate entry")) {
            column = column != null ? column : group(MYSQL_DUPLICATE, text);
            column = column != null ? column : group(H2_UNIQUE, text);
            return violation(writing.name() + (column == null ? "" : "." + fieldName(writing, column))
                    + ": another " + writing.name() + " already has this value", g);
        }
        if (text.contains("doesn't have a default value")) {
            column = group(MYSQL_NO_DEFAULT, text);
            return violation(writing.name() + (column == null ? "" : "." + fieldName(writing, column))
                    + " must be given: the database has no default for it", g);
        }
        if (state.equals("23502") || text.contains("cannot be null")) {
            column = sql.column();
            column = column != null ? column : group(MYSQL_NULL, text);
            column = column != null ? column : group(H2_NULL, text);
            return violation(writing.name() + (column == null ? "" : "." + fieldName(writing, column)) + " must not be null", g);
        }
        if (state.equals("23503") || state.equals("23506") || text.contains("foreign key constraint fails")) {
            column = column != null ? column : group(FOREIGN_KEY, text);
            return violation(foreignKeyMessage(models, writing, column), g);
        }
        return violation(writing.name() + ": a database constraint rejected the write", g);
    }

    private static String foreignKeyMessage(Models models, Model writing, String column) {
        List<Relation> refs = writing.relations().stream().filter(r -> r.kind() == RelationKind.BELONGS_TO)
                .filter(r -> column == null || Models.fields(writing, r.key()).stream().anyMatch(f -> f.column().equalsIgnoreCase(column)))
                .toList();
        if (refs.size() == 1) {
            Relation r = refs.get(0);
            return writing.name() + "." + String.join(", ", r.key()) + ": no " + r.target() + " has this key";
        }
        List<String> keys = refs.stream().flatMap(r -> r.key().stream()).distinct().toList();
        return writing.name() + ": a key (" + String.join(", ", keys) + ") does not match an existing row";
    }

    private static GatewayException violation(String message, GatewayException original) {
        return new GatewayException(ErrorCode.CONSTRAINT_VIOLATION, message, original.getCause());
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static Optional<Model> byTable(Models models, String table) {
        return models.all().stream().filter(m -> m.table().equalsIgnoreCase(table)).findFirst();
    }

    private static String fieldName(Model m, String column) {
        return m.fields().stream().filter(f -> f.column().equalsIgnoreCase(column)).map(Field::name).findFirst().orElse(column);
    }
}
