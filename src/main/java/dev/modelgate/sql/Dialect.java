package dev.modelgate.sql;

import dev.modelgate.ir.SortOrder;
import dev.modelgate.model.Field;

import java.util.List;

/**
 * How each database writes SQL: quoting, ordering and NULL placement, LIKE, paging, aggregates,
 * upserts, parameter values and DDL types. Connection setup is {@code db/ConnectionSettings}; reading
 * driver values back is {@code db/JdbcValues}.
 */
public interface Dialect {

    String name();

    String quote(String identifier);

    /**
     * One ORDER BY item. NULLs go where {@code order} says; a NULL-placement clause (or, on
     * MySQL, an {@code IS NULL} sort key) is written only where the column can hold NULL and
     * the database would place them otherwise, so an ordered scan can use the index.
     */
    String orderItem(String expr, SortOrder order, boolean nullable);

    /** Case-sensitive {@code LIKE} with {@code !} as the escape character. */
    Fragment like(String expr, Fragment pattern);

    /** Case-insensitive {@code LIKE} with {@code !} as the escape character. */
    Fragment ilike(String expr, Fragment pattern);

    /** An aggregate call, e.g. {@code AVG(expr)}. */
    String aggregate(dev.modelgate.model.AggregateFn fn, String expr);

    /**
     * {@code expr}, a Date or DateTime value of {@code field}, truncated to the start of its
     * {@code unit} in UTC, of the field's own type (weeks start on Monday; HOUR of a Date is its
     * day). No bound parameter: a grouped statement repeats it in GROUP BY and ORDER BY.
     */
    String truncate(String expr, Field field, dev.modelgate.ir.Truncation unit);

    /** The LIMIT/OFFSET clause, with a leading space (either may be null, not both). */
    Fragment paging(Long limit, Long offset);

    /** A GraphQL-level value as the JDBC parameter for a column of this field. */
    Object toJdbc(Field field, Object value);

    /** The most bound parameters one statement may carry. */
    int maxParameters();

    // ---- DDL ----

    String columnType(Field field);

    /** The column definition of a generated primary key (type and identity clause). */
    String generatedKeyDefinition(Field field);

    /** A DEFAULT clause expression for the field's {@code @default}, or null. */
    String defaultExpression(Field field);

    /** Appended to CREATE TABLE (engine, charset). */
    String createTableSuffix();

    /** The conflict clause of an upsert; {@code updates} are the {@code col = ?} assignments (may be empty). */
    Fragment upsertClause(List<String> conflictColumns, java.util.List<Fragment> updates);

    /** The value a conflicting insert proposed for a column, in an upsert's update. */
    String excluded(String column);

    /** Whether foreign keys are declared inside CREATE TABLE (else added by ALTER TABLE afterwards). */
    boolean inlineForeignKeys();

    // ---- writes ----

    /** Whether {@code INSERT … RETURNING key} works; else keys come from JDBC's generated keys. */
    default boolean insertReturning() {
        return true;
    }

    /** What follows {@code INSERT INTO t} for a row that takes every default. */
    default String defaultValuesInsert() {
        return " DEFAULT VALUES";
    }

    /**
     * What opens the list of a row-value {@code IN}: nothing where {@code (a, b) IN ((?, ?), …)}
     * works, {@code "VALUES "} where the list must be a subquery (SQLite).
     */
    default String rowValueListPrefix() {
        return "";
    }

    /** The GeoJSON text of a geometry column ({@link Field#spatial}). */
    default String geoJson(String expr, Field field) {
        return "ST_AsGeoJSON(" + expr + ")";
    }

    /** Whether dates and times are stored as text whose format the rows decide (SQLite). */
    default boolean datesAsText() {
        return false;
    }

    /**
     * What a filter compares for {@code field}: the column as it is, or (where its stored values
     * are not all in one text format) an expression that makes each one comparable, with the
     * parameter wrapped to match: {@code {columnExpression, "before ?", "after ?"}}.
     */
    default String[] compared(Field field, String column) {
        return new String[]{column, "", ""};
    }

    /**
     * The SQL that finds a row of {@code table} whose {@code column} is not in the one format
     * of {@code sample}; null where dates are not text. Where one is found, {@link #mixedFormats} is told.
     */
    default String otherFormatProbe(String table, String column, String sample) {
        return null;
    }

    /** The values of {@code field} come in several formats (or as numbers): filters compare instants, not text. */
    default void mixedFormats(Field field) {
    }

    /** Bind DateTime values of {@code field} in the text format of {@code sample}, a value its rows hold (see {@link #datesAsText}). */
    default void storedLike(Field field, String sample) {
    }

    /** How many parameters matching one key of {@code fields} fields takes ({@link KeyLists}). */
    default int keyParameters(int fields) {
        return fields;
    }

    // ---- schema changes (migrate diff) ----

    /** Whether columns are changed by rebuilding their table (SQLite, whose ALTER TABLE cannot change or drop a column in place). */
    default boolean rebuildsTables() {
        return false;
    }

    default String renameTable(String from, String to) {
        return "ALTER TABLE " + quote(from) + " RENAME TO " + quote(to);
    }

    default String renameColumn(String table, String from, String to) {
        return "ALTER TABLE " + quote(table) + " RENAME COLUMN " + quote(from) + " TO " + quote(to);
    }

    default String addColumn(String table, String column, String spec) {
        return "ALTER TABLE " + quote(table) + " ADD COLUMN " + quote(column) + " " + spec;
    }

    /** Drops a unique constraint ({@code constraint} true) or a unique index by its name. */
    default String dropUnique(String table, String name, boolean constraint) {
        return constraint ? "ALTER TABLE " + quote(table) + " DROP CONSTRAINT " + quote(name) : "DROP INDEX " + quote(name);
    }

    default String dropColumn(String table, String column) {
        return "ALTER TABLE " + quote(table) + " DROP COLUMN " + quote(column);
    }

    /**
     * Statements changing a column in place: to {@code type}, NULL or NOT NULL, default
     * {@code defaultExpr} (null: none); only what is marked changed. {@code spec} is the whole
     * column definition (type, NOT NULL, DEFAULT), for databases that restate it (MySQL).
     */
    default List<String> alterColumn(String table, String column, String type, String spec, boolean nullable, String defaultExpr,
                                     boolean typeChanged, boolean nullChanged, boolean defaultChanged) {
        String at = "ALTER TABLE " + quote(table) + " ALTER COLUMN " + quote(column);
        List<String> out = new java.util.ArrayList<>();
        if (typeChanged) {
            out.add(at + " TYPE " + type);
        }
        if (nullChanged) {
            out.add(at + (nullable ? " DROP NOT NULL" : " SET NOT NULL"));
        }
        if (defaultChanged) {
            out.add(at + (defaultExpr == null ? " DROP DEFAULT" : " SET DEFAULT " + defaultExpr));
        }
        return out;
    }

    /** Whether an upsert is a standard {@code MERGE} (else INSERT with {@link #upsertClause}). */
    default boolean mergeUpsert() {
        return false;
    }

    /**
     * A statement making the table's generated keys continue after {@code next - 1}, for
     * databases whose identity does not follow explicitly inserted keys; null where it does.
     */
    default Fragment restartIdentity(String table, String column, long next) {
        return null;
    }
}
