package dev.modelgate.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * Values as JDBC drivers hand them back (numbers of any width, {@code Clob}s, {@code Timestamp}s,
 * text dates on SQLite, {@code PGobject}s) made into the GraphQL-level Java value of a field's type.
 */
public final class JdbcValues {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LENIENT_LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[['T'][' ']HH:mm[:ss]]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private final boolean utcWallTime;

    /** @param utcWallTime whether a zone-less timestamp column holds UTC wall time (MySQL/MariaDB DATETIME) */
    public JdbcValues(boolean utcWallTime) {
        this.utcWallTime = utcWallTime;
    }

    /**
     * A column's value as the GraphQL-level value of its field: a list field's SET text or SQL
     * array as a list of its element type, any other as {@link #read(ScalarType, Object)}.
     */
    public Object read(dev.modelgate.model.Field field, Object raw) {
        if (!field.list() || raw == null) {
            Object v = read(field.type(), raw);
            if (v instanceof BigDecimal d && field.scale() != null && d.scale() < field.scale()) {
                return d.setScale(field.scale());   // a decimal keeps its column's scale (12.50), whatever the driver returned
            }
            return v;
        }
        java.util.List<Object> out = new java.util.ArrayList<>();
        if (raw instanceof java.sql.Array array) {
            try {
                for (Object item : (Object[]) array.getArray()) {
                    out.add(read(field.type(), item));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        } else if (raw instanceof Object[] items) {
            for (Object item : items) {
                out.add(read(field.type(), item));
            }
        } else {
            String text = text(raw);
            if (!text.isEmpty()) {
                for (String item : text.split(",", -1)) {
                    out.add(read(field.type(), item));
                }
            }
        }
        return out;
    }

    /** A JDBC value read from a column (or an aggregate) as a GraphQL-level value of {@code type}. */
    public Object read(ScalarType type, Object raw) {
        if (utcWallTime && type == ScalarType.DATE_TIME && raw instanceof Timestamp t) {
            return t.toLocalDateTime().atOffset(ZoneOffset.UTC);   // MySQL's DATETIME holds UTC wall time
        }
        if (raw == null) {
            return null;
        }
        return switch (type) {
            case INT -> exactInt(number(raw));
            case LONG -> exactLong(number(raw));
            case FLOAT -> ((Number) number(raw)).doubleValue();
            case BIG_DECIMAL -> raw instanceof BigDecimal d ? d : new BigDecimal(raw.toString());
            case STRING, ENUM -> text(raw);
            case ID -> raw instanceof Number n ? Long.toString(n.longValue()) : text(raw);
            case BOOLEAN -> raw instanceof Boolean b ? b : raw instanceof Number n ? n.intValue() != 0 : parseBoolean(raw.toString());
            case DATE -> date(raw);
            case DATE_TIME -> dateTime(raw);
            case JSON -> json(raw);
            case LOCAL_TIME -> localTime(raw);
            case BYTES -> bytes(raw);
        };
    }

    /**
     * A whole number that fits Int, never wrapped: a stored value beyond Int's range (an unsigned
     * or 64-bit column read as Int) is an error naming the fix, not a wrong number.
     */
    private static int exactInt(Object n) {
        long v = exactLong(n);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ArithmeticException("the stored value " + v + " does not fit Int; declare the field Long");
        }
        return (int) v;
    }

    private static long exactLong(Object n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return ((Number) n).longValue();
        }
        if (n instanceof java.math.BigInteger b) {
            if (b.bitLength() > 63) {
                throw new ArithmeticException("the stored value " + b + " does not fit Long; declare the field BigDecimal");
            }
            return b.longValue();
        }
        BigDecimal d = n instanceof BigDecimal x ? x : new BigDecimal(n.toString());
        try {
            return d.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw new ArithmeticException("the stored value " + d + " does not fit Long; declare the field BigDecimal");
        }
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
        if (raw instanceof Number n) {
            return epoch(n).atOffset(ZoneOffset.UTC).toLocalDate();
        }
        String s = text(raw).trim();
        if (s.matches("-?\\d+(\\.\\d+)?")) {
            return epoch(new BigDecimal(s)).atOffset(ZoneOffset.UTC).toLocalDate();
        }
        return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
    }

    /** A Unix epoch number as SQLite rows hold it: seconds (with a fraction), or milliseconds past 10^11. */
    private static Instant epoch(Number n) {
        BigDecimal v = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
        if (v.abs().compareTo(BigDecimal.valueOf(100_000_000_000L)) > 0) {
            return Instant.ofEpochMilli(v.longValue());
        }
        BigDecimal nanos = v.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_UP);
        return Instant.ofEpochSecond(0, 0).plusNanos(nanos.longValueExact());
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
            return epoch(n).atOffset(ZoneOffset.UTC);
        }
        String s = text(raw).trim();
        if (s.matches("-?\\d+(\\.\\d+)?")) {
            return epoch(new BigDecimal(s)).atOffset(ZoneOffset.UTC);
        }
        if (s.length() == 10) {   // a date alone (SQLite's date()): midnight UTC
            return LocalDate.parse(s).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        try {
            return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return LocalDateTime.parse(s, LENIENT_LOCAL).atOffset(ZoneOffset.UTC);
        }
    }

    static java.time.LocalTime localTime(Object raw) {
        if (raw instanceof java.time.LocalTime t) {
            return t;
        }
        if (raw instanceof java.sql.Time t) {
            return t.toLocalTime();
        }
        if (raw instanceof java.time.Duration d) {   // MySQL TIME past 24 hours is a duration; within a day it is a time
            return java.time.LocalTime.MIDNIGHT.plus(d);
        }
        return java.time.LocalTime.parse(text(raw).trim());
    }

    static byte[] bytes(Object raw) {
        if (raw instanceof byte[] b) {
            return b;
        }
        if (raw instanceof java.sql.Blob blob) {
            try {
                return blob.getBytes(1, (int) blob.length());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return text(raw).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static Object json(Object raw) {
        String s = text(raw instanceof org.postgresql.util.PGobject pg ? pg.getValue() : raw);
        try {
            return JSON.readValue(s, Object.class);
        } catch (JsonProcessingException e) {
            return s;
        }
    }
}
