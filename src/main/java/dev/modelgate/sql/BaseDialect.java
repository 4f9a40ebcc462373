package dev.modelgate.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.error.GatewayException;
import dev.modelgate.ir.SortOrder;
import dev.modelgate.model.Field;
import dev.modelgate.model.ScalarType;

import java.math.BigDecimal;
import java.sql.Clob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
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
    private static final DateTimeFormatter LENIENT_LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[['T'][' ']HH:mm[:ss]]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String orderItem(String expr, SortOrder order) {
        return expr + (order.descending() ? " DESC" : " ASC") + (order.nullsFirst() ? " NULLS FIRST" : " NULLS LAST");
    }

    @Override
    public String like(String expr, String placeholder) {
        return expr + " LIKE " + placeholder + " ESCAPE '!'";
    }

    /** Standard ILIKE (PostgreSQL, H2); MySQL and SQLite lower both sides instead. */
    @Override
    public String ilike(String expr, String placeholder) {
        return expr + " ILIKE " + placeholder + " ESCAPE '!'";
    }

    /** A LIKE that ignores case by lowering both sides. */
    static String lowerLike(String expr, String placeholder) {
        return "LOWER(" + expr + ") LIKE LOWER(" + placeholder + ") ESCAPE '!'";
    }

    @Override
    public String aggregate(String fn, String expr) {
        return fn + "(" + expr + ")";
    }

    @Override
    public void paging(SqlBuilder b, Long limit, Long offset) {
        if (limit != null) {
            b.append(" LIMIT ").bind(limit);
        }
        if (offset != null) {
            b.append(" OFFSET ").bind(offset);
        }
    }

    @Override
    public int maxParameters() {
        return 30000;
    }

    @Override
    public Object toJdbc(Field field, Object value) {
        if (value == null) {
            return null;
        }
        return switch (field.type()) {
            case ID -> field.generated() ? parseLongId(field, value) : value.toString();
            case DATE_TIME -> ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC);
            case JSON -> jsonText(value);
            case INT, LONG, FLOAT, BIG_DECIMAL, STRING, BOOLEAN, DATE, ENUM -> value;
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

    @Override
    public Object fromJdbc(ScalarType type, Object raw) {
        if (raw == null) {
            return null;
        }
        return switch (type) {
            case INT -> ((Number) number(raw)).intValue();
            case LONG -> ((Number) number(raw)).longValue();
            case FLOAT -> ((Number) number(raw)).doubleValue();
            case BIG_DECIMAL -> raw instanceof BigDecimal d ? d : new BigDecimal(raw.toString());
            case STRING, ENUM -> text(raw);
            case ID -> raw instanceof Number n ? Long.toString(n.longValue()) : text(raw);
            case BOOLEAN -> raw instanceof Boolean b ? b : raw instanceof Number n ? n.intValue() != 0 : parseBoolean(raw.toString());
            case DATE -> date(raw);
            case DATE_TIME -> dateTime(raw);
            case JSON -> json(raw);
        };
    }

    private static Object number(Object raw) {
        if (raw instanceof Number) {
            return raw;
        }
        if (raw instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return new BigDecimal(raw.toString().trim());
    }

    private static boolean parseBoolean(String s) {
        return s.equalsIgnoreCase("true") || s.equals("1") || s.equalsIgnoreCase("t");
    }

    static String text(Object raw) {
        if (raw instanceof Clob c) {
            try {
                return c.getSubString(1, (int) c.length());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        if (raw instanceof byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return raw.toString();
    }

    static LocalDate date(Object raw) {
        if (raw instanceof LocalDate d) {
            return d;
        }
        if (raw instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (raw instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        if (raw instanceof Timestamp t) {
            return t.toLocalDateTime().toLocalDate();
        }
        String s = text(raw);
        return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
    }

    /** Timestamps without a zone are UTC: that is how they are written. */
    static OffsetDateTime dateTime(Object raw) {
        if (raw instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (raw instanceof LocalDateTime t) {
            return t.atOffset(ZoneOffset.UTC);
        }
        if (raw instanceof Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (raw instanceof Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        if (raw instanceof java.time.ZonedDateTime z) {
            return z.toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (raw instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue()).atOffset(ZoneOffset.UTC);
        }
        String s = text(raw).trim();
        try {
            return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return LocalDateTime.parse(s, LENIENT_LOCAL).atOffset(ZoneOffset.UTC);
        }
    }

    static Object json(Object raw) {
        String s = text(raw instanceof org.postgresql.util.PGobject pg ? pg.getValue() : raw);
        try {
            return JSON.readValue(s, Object.class);
        } catch (JsonProcessingException e) {
            return s;
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
            case BIG_DECIMAL -> "DECIMAL(" + (f.precision() == null ? 19 : f.precision()) + ","
                    + (f.scale() == null ? (f.precision() == null ? 4 : 0) : f.scale()) + ")";
            case STRING, ENUM -> "VARCHAR(" + (f.length() == null ? 255 : f.length()) + ")";
            case ID -> f.generated() ? "BIGINT" : "VARCHAR(" + (f.length() == null ? 255 : f.length()) + ")";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            case DATE_TIME -> "TIMESTAMP";
            case JSON -> "TEXT";
        };
    }

    @Override
    public String defaultExpression(Field f) {
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
    public String upsertClause(String conflictColumn, String updates) {
        return " ON CONFLICT (" + conflictColumn + ") DO UPDATE SET " + (updates.isEmpty() ? conflictColumn + " = " + excluded(conflictColumn) : updates);
    }

    @Override
    public String excluded(String column) {
        return "excluded." + column;
    }

    /** Standard identity columns (PostgreSQL, H2) do not move past explicitly inserted keys. */
    @Override
    public SqlStatement restartIdentity(String table, String column, long next) {
        return new SqlStatement("ALTER TABLE " + quote(table) + " ALTER COLUMN " + quote(column) + " RESTART WITH " + next, List.of());
    }

    @Override
    public boolean inlineForeignKeys() {
        return false;
    }

    @Override
    public java.util.Map<String, String> connectionProperties() {
        return java.util.Map.of();
    }

    @Override
    public String connectionInitSql() {
        return null;
    }

    @Override
    public int defaultPoolSize() {
        return 10;
    }
}
