package dev.modelgate.sql;

import dev.modelgate.model.Field;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * SQLite: dates and times are stored as ISO-8601 text (DateTime in UTC, fixed width, so
 * text order is time order), booleans as 0/1, LIKE made case-sensitive per connection.
 */
public final class SqliteDialect extends BaseDialect {

    /** Text formats of DateTime columns whose existing rows are not in the gateway's own (by field identity). */
    private final java.util.Map<Field, java.time.format.DateTimeFormatter> stored =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private static final java.util.regex.Pattern SPACED = java.util.regex.Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?");

    /** Date and DateTime columns whose values are not all in one text format (by field identity). */
    private final java.util.Set<Field> mixed = java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));

    @Override
    public String otherFormatProbe(String table, String column, String sample) {
        String c = quote(column);
        String s = sample.trim();
        String shape = "typeof(" + c + ") <> 'text' OR length(" + c + ") <> " + s.length()
                + (s.length() > 10 ? " OR substr(" + c + ", 11, 1) <> '" + s.charAt(10) + "'" : "");
        return "SELECT 1 AS " + quote("x") + " FROM " + quote(table) + " WHERE " + c + " IS NOT NULL AND (" + shape + ") LIMIT 1";
    }

    @Override
    public void mixedFormats(Field field) {
        mixed.add(field);
    }

    /**
     * A column of mixed formats — ISO dates alone, date-times with a T or a space, with or
     * without a fraction or a zone, Unix epoch numbers (seconds; milliseconds past 10^11) — is
     * compared as instants: seconds since the epoch for DateTime, the calendar date for Date.
     */
    @Override
    public String[] compared(Field field, String column) {
        if (!mixed.contains(field)) {
            return super.compared(field, column);
        }
        String number = "typeof(" + column + ") IN ('integer', 'real')";
        String seconds = "(CASE WHEN abs(" + column + ") > 100000000000 THEN " + column + " / 1000.0 ELSE " + column + " END)";
        if (field.type() == dev.modelgate.model.ScalarType.DATE) {
            return new String[]{"(CASE WHEN " + number + " THEN date(" + seconds + ", 'unixepoch') ELSE date(" + column + ") END)",
                    "date(", ")"};
        }
        return new String[]{"(CASE WHEN " + number + " THEN " + seconds + " ELSE unixepoch(" + column + ", 'subsec') END)",
                "unixepoch(", ", 'subsec')"};
    }

    @Override
    public boolean datesAsText() {
        return true;
    }

    /**
     * A column whose rows hold local UTC text without a zone ({@code 2005-08-01 00:00:44},
     * SQLite's own {@code CURRENT_TIMESTAMP}, with or without a fraction, with a space or a T) is
     * written and compared in that format; text order stays time order.
     */
    @Override
    public void storedLike(Field field, String sample) {
        java.util.regex.Matcher m = SPACED.matcher(sample.trim());
        if (!m.matches()) {
            return;   // the gateway's own format, or one it does not know: leave it
        }
        char sep = sample.trim().charAt(10);
        String fraction = m.group(1) == null ? "" : "." + "S".repeat(m.group(1).length() - 1);
        stored.put(field, java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd" + (sep == 'T' ? "'T'" : " ") + "HH:mm:ss" + fraction));
    }

    /** SQLite's ALTER TABLE adds and renames; anything else is its documented table rebuild (MigrationRenderer). */
    @Override
    public boolean rebuildsTables() {
        return true;
    }

    /** A composite key is matched on its first column too (see KeyLists). */
    @Override
    public int keyParameters(int fields) {
        return fields == 1 ? 1 : fields + 1;
    }

    /** SQLite's row-value IN takes a subquery only. */
    @Override
    public String rowValueListPrefix() {
        return "VALUES ";
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    boolean nullsSortHigh() {
        return false;
    }

    /** SQLite has no OFFSET without LIMIT; -1 is no limit. */
    @Override
    public Fragment paging(Long limit, Long offset) {
        return super.paging(limit == null ? -1L : limit, offset);
    }

    @Override
    public int maxParameters() {
        return 250000;   // sqlite-jdbc is built with SQLITE_MAX_VARIABLE_NUMBER=250000
    }

    @Override
    public Object toJdbc(Field field, Object value) {
        if (value == null || field.list()) {
            return super.toJdbc(field, value);
        }
        return switch (field.type()) {
            case BOOLEAN -> ((Boolean) value) ? 1 : 0;
            case DATE -> ((LocalDate) value).toString();
            case LOCAL_TIME -> value.toString();   // HH:MM[:SS], as SQLite's time functions write it
            case DATE_TIME -> stored.getOrDefault(field, UTC_TEXT).format(((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC));
            case BIG_DECIMAL -> value.toString();
            default -> super.toJdbc(field, value);
        };
    }

    @Override
    String typeOf(Field f) {
        return f.type() == dev.modelgate.model.ScalarType.DATE_TIME ? "DATETIME" : super.typeOf(f);
    }

    @Override
    public Fragment ilike(String expr, Fragment pattern) {
        return lowerLike(expr, pattern);
    }

    @Override
    public String generatedKeyDefinition(Field field) {
        return "INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    /** AUTO_INCREMENT follows the largest key. */
    @Override
    public Fragment restartIdentity(String table, String column, long next) {
        return null;
    }

    @Override
    String literalDefault(Field f) {
        if (f.defaultValue() == null) {
            return null;
        }
        return switch (f.type()) {
            case BOOLEAN -> Boolean.parseBoolean(f.defaultValue()) ? "1" : "0";
            case DATE_TIME -> f.defaultValue().equals("now")
                    ? "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
                    : stringLiteral(UTC_TEXT.format(OffsetDateTime.parse(f.defaultValue()).withOffsetSameInstant(ZoneOffset.UTC)));
            case DATE -> f.defaultValue().equals("now") ? "(date('now'))" : stringLiteral(f.defaultValue());
            default -> super.literalDefault(f);
        };
    }

    @Override
    public boolean inlineForeignKeys() {
        return true;
    }

    @Override
    public String truncate(String expr, Field field, dev.modelgate.ir.Truncation unit) {
        boolean date = field.type() == dev.modelgate.model.ScalarType.DATE;
        // a column of mixed formats is read as its comparable value: a date, or seconds since the epoch
        String value = !mixed.contains(field) ? expr : date ? compared(field, expr)[0] : compared(field, expr)[0] + ", 'unixepoch'";
        String fn = date ? "date(" : "datetime(";
        return switch (unit) {
            case YEAR -> fn + value + ", 'start of year')";
            case MONTH -> fn + value + ", 'start of month')";
            case WEEK -> fn + value + ", 'start of day', '-6 days', 'weekday 1')";
            case DAY -> fn + value + ", 'start of day')";
            case HOUR -> date ? "date(" + value + ")" : "strftime('%Y-%m-%d %H:00:00', " + value + ")";
        };
    }
}
