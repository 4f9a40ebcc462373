package dev.modelgate.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.error.GatewayException;
import dev.modelgate.ir.SortOrder;
import dev.modelgate.model.Field;
import dev.modelgate.model.ScalarType;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;

/** ANSI behaviour shared by the dialects; each overrides what its database does differently. */
abstract class BaseDialect implements Dialect {
    static final ObjectMapper JSON = new ObjectMapper();
    /** DateTime as text: fixed width, so text order is time order. */
    static final DateTimeFormatter UTC_TEXT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.MILLI_OF_SECOND, 3, 3, true)
            .appendLiteral('Z').toFormatter();

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Whether this database sorts NULL above every value (PostgreSQL); else below (MySQL, SQLite, H2). */
    boolean nullsSortHigh() {
        return true;
    }

    @Override
    public final String orderItem(String expr, SortOrder order, boolean nullable) {
        String direction = order.descending() ? " DESC" : " ASC";
        boolean nativeNullsFirst = order.descending() == nullsSortHigh();
        if (!nullable || order.nullsFirst() == nativeNullsFirst) {
            return expr + direction;
        }
        return nullPlacement(expr, direction, order.nullsFirst());
    }

    /** An ORDER BY item whose NULLs go against the database's own placement. */
    String nullPlacement(String expr, String direction, boolean nullsFirst) {
        return expr + direction + (nullsFirst ? " NULLS FIRST" : " NULLS LAST");
    }

    @Override
    public Fragment like(String expr, Fragment pattern) {
        return Fragment.concat(expr, " LIKE ", pattern, " ESCAPE '!'");
    }

    /** Standard ILIKE (PostgreSQL, H2); MySQL and SQLite lower both sides instead. */
    @Override
    public Fragment ilike(String expr, Fragment pattern) {
        return Fragment.concat(expr, " ILIKE ", pattern, " ESCAPE '!'");
    }

    /** A LIKE that ignores case by lowering both sides. */
    static Fragment lowerLike(String expr, Fragment pattern) {
        return Fragment.concat("LOWER(", expr, ") LIKE LOWER(", pattern, ") ESCAPE '!'");
    }

    @Override
    public String aggregate(dev.modelgate.model.AggregateFn fn, String expr) {
        return fn.name() + "(" + expr + ")";
    }

    @Override
    public Fragment paging(Long limit, Long offset) {
        return Fragment.concat(limit == null ? Fragment.EMPTY : Fragment.concat(" LIMIT ", Fragment.param(limit)),
                offset == null ? Fragment.EMPTY : Fragment.concat(" OFFSET ", Fragment.param(offset)));
    }

    @Override
    public int maxParameters() {
        return 30000;
    }

    @Override
    public Object toJdbc(Field field, Object value) {
        if (value == null) {   // a zero-dates column takes no NULL: "no date" is stored as MySQL's zero date
            return field.zeroDates() ? (field.type() == dev.modelgate.model.ScalarType.DATE ? "0000-00-00" : "0000-00-00 00:00:00") : null;
        }
        if (field.list()) {
            return listText(field, (java.util.List<?>) value);
        }
        return switch (field.type()) {
            case ID -> field.generated() ? parseLongId(field, value) : value.toString();
            case DATE_TIME -> ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC);
            case JSON -> jsonText(value);
            case INT, LONG, FLOAT, BIG_DECIMAL, STRING, BOOLEAN, DATE, ENUM, BYTES -> value;
            case LOCAL_TIME -> java.sql.Time.valueOf((java.time.LocalTime) value);
        };
    }

    static Long parseLongId(Field field, Object value) {
        try {
            return Long.parseLong(value.toString());
        } catch (NumberFormatException e) {
            throw GatewayException.badInput(field.name() + ": \"" + value + "\" is not a valid ID");
        }
    }

    static String jsonText(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw GatewayException.badInput("not a JSON value");
        }
    }

    // ---- DDL ----

    /** A raw {@code @column(type:)} is used verbatim on every database; otherwise the dialect's type. */
    @Override
    public final String columnType(Field f) {
        return f.sqlType() != null ? f.sqlType() : typeOf(f);
    }

    /** The column type this database uses for a field's type. */
    String typeOf(Field f) {
        return switch (f.type()) {
            case INT -> "INTEGER";
            case LONG -> "BIGINT";
            case FLOAT -> "DOUBLE PRECISION";
            case BIG_DECIMAL -> "DECIMAL(" + f.decimalPrecision() + "," + f.decimalScale() + ")";
            case STRING, ENUM -> "VARCHAR(" + f.maxLength() + ")";
            case ID -> f.generated() ? "BIGINT" : "VARCHAR(" + f.maxLength() + ")";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            case DATE_TIME -> "TIMESTAMP";
            case JSON -> "TEXT";
            case LOCAL_TIME -> "TIME";
            case BYTES -> "BLOB";
        };
    }

    /**
     * A list field's value as text the column takes: {@code a,b} for a SET, an array literal
     * {@code {"a","b",NULL}} for an array (a string the database casts to the column's array type).
     */
    static String listText(Field field, java.util.List<?> items) {
        if (field.storedAsSet()) {
            return String.join(",", items.stream().map(String::valueOf).toList());
        }
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            sb.append(i > 0 ? "," : "");
            if (item == null) {
                sb.append("NULL");
            } else {
                String text = item instanceof OffsetDateTime t ? t.withOffsetSameInstant(ZoneOffset.UTC).toString() : String.valueOf(item);
                sb.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return sb.append("}").toString();
    }

    /** The column's DEFAULT: an {@code @default(sql:)} expression as written, else the literal in this dialect's form. */
    @Override
    public final String defaultExpression(Field f) {
        return f.defaultSql() != null ? f.defaultSql() : literalDefault(f);
    }

    /** A {@code @default(value:)} literal in this dialect's SQL; null without one. */
    String literalDefault(Field f) {
        String v = f.defaultValue();
        if (v == null) {
            return null;
        }
        return switch (f.type()) {
            case INT, LONG, FLOAT, BIG_DECIMAL -> v;
            case BOOLEAN -> booleanLiteral(Boolean.parseBoolean(v));
            case DATE -> v.equals("now") ? "CURRENT_DATE" : stringLiteral(v);
            case DATE_TIME -> v.equals("now") ? "CURRENT_TIMESTAMP" : stringLiteral(dateTimeLiteral(v));
            case ID -> f.generated() ? v : stringLiteral(v);
            case STRING, ENUM, JSON -> stringLiteral(v);
            case LOCAL_TIME -> v.equals("now") ? "CURRENT_TIME" : stringLiteral(v);
            case BYTES -> null;   // no literal form for binary data
        };
    }

    /** A DateTime default as an ISO literal with its offset (TIMESTAMP WITH TIME ZONE). */
    String dateTimeLiteral(String v) {
        return OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC).toString();
    }

    /** Standard identity keys (PostgreSQL, H2). */
    @Override
    public String generatedKeyDefinition(Field field) {
        return (field.type() == ScalarType.INT ? "INTEGER" : "BIGINT") + " GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    }

    String booleanLiteral(boolean b) {
        return b ? "TRUE" : "FALSE";
    }

    static String stringLiteral(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    @Override
    public String createTableSuffix() {
        return "";
    }

    @Override
    public Fragment upsertClause(List<String> conflictColumns, List<Fragment> updates) {
        String first = conflictColumns.get(0);
        return Fragment.concat(" ON CONFLICT (" + String.join(", ", conflictColumns) + ") DO UPDATE SET ",
                updates.isEmpty() ? Fragment.of(first + " = " + excluded(first)) : Fragment.join(", ", updates));
    }

    @Override
    public String excluded(String column) {
        return "excluded." + column;
    }

    /** Standard identity columns (PostgreSQL, H2) do not move past explicitly inserted keys. */
    @Override
    public Fragment restartIdentity(String table, String column, long next) {
        return new Fragment("ALTER TABLE " + quote(table) + " ALTER COLUMN " + quote(column) + " RESTART WITH " + next, List.of());
    }

    @Override
    public boolean inlineForeignKeys() {
        return false;
    }

}
