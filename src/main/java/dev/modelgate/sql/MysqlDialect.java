package dev.modelgate.sql;

import dev.modelgate.model.Field;
import dev.modelgate.model.ScalarType;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * MySQL 8 and MariaDB (through MySQL Connector/J or MariaDB's driver): backtick quoting,
 * NULL placement by {@code IS NULL} sort keys, case-sensitive LIKE by binary comparison,
 * DateTime as DATETIME(3) holding UTC, sessions in UTC.
 */
public final class MysqlDialect extends BaseDialect {
    private final boolean returning;

    /** @param returning whether the server answers {@code INSERT … RETURNING} (MariaDB 10.5+, not MySQL 8) */
    public MysqlDialect(boolean returning) {
        this.returning = returning;
    }

    @Override
    public boolean insertReturning() {
        return returning;
    }

    @Override
    public String defaultValuesInsert() {
        return " () VALUES ()";
    }

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    boolean nullsSortHigh() {
        return false;
    }

    /** MySQL has no NULLS FIRST/LAST: an {@code IS NULL} sort key first, only where the placement differs. */
    @Override
    String nullPlacement(String expr, String direction, boolean nullsFirst) {
        return expr + " IS NULL" + (nullsFirst ? " DESC" : " ASC") + ", " + expr + direction;
    }

    @Override
    public Fragment like(String expr, Fragment pattern) {
        return Fragment.concat(expr, " LIKE CAST(", pattern, " AS BINARY) ESCAPE '!'");
    }

    /** AVG over integers would be DECIMAL rounded to div_precision_increment (4) places: average as DOUBLE. */
    @Override
    public String aggregate(dev.modelgate.model.AggregateFn fn, String expr) {
        return fn == dev.modelgate.model.AggregateFn.AVG ? "AVG(" + expr + " + 0E0)" : super.aggregate(fn, expr);
    }

    /** MySQL has no OFFSET without LIMIT. */
    @Override
    public Fragment paging(Long limit, Long offset) {
        return super.paging(limit == null ? Long.MAX_VALUE : limit, offset);
    }

    @Override
    public int maxParameters() {
        return 60000;
    }

    @Override
    public Object toJdbc(Field field, Object value) {
        if (value != null && field.type() == ScalarType.DATE_TIME && !field.list()) {
            return ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        return super.toJdbc(field, value);
    }

    @Override
    String typeOf(Field f) {
        return switch (f.type()) {
            case INT -> "INT";
            case FLOAT -> "DOUBLE";
            case DATE_TIME -> "DATETIME(3)";
            case JSON -> "JSON";
            case BYTES -> "LONGBLOB";
            default -> super.typeOf(f);
        };
    }

    @Override
    public Fragment ilike(String expr, Fragment pattern) {
        return lowerLike(expr, pattern);
    }

    @Override
    public String generatedKeyDefinition(Field field) {
        String type = switch (field.type()) {
            case INT -> "INT";
            case BIG_DECIMAL -> "BIGINT UNSIGNED";   // a key of scale 0 beyond Long: MySQL's unsigned auto-increment
            default -> "BIGINT";
        };
        return type + " NOT NULL AUTO_INCREMENT PRIMARY KEY";
    }

    /** AUTO_INCREMENT follows the largest key. */
    @Override
    public Fragment restartIdentity(String table, String column, long next) {
        return null;
    }

    @Override
    String literalDefault(Field f) {
        if ("now".equals(f.defaultValue())) {
            return f.type() == ScalarType.DATE ? "(CURRENT_DATE)" : "CURRENT_TIMESTAMP(3)";
        }
        return super.literalDefault(f);
    }

    /** DATETIME holds UTC wall time, without an offset. */
    @Override
    String dateTimeLiteral(String v) {
        return OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().toString().replace('T', ' ');
    }

    @Override
    public String createTableSuffix() {
        return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    }

    @Override
    public Fragment upsertClause(java.util.List<String> conflictColumns, java.util.List<Fragment> updates) {
        String first = conflictColumns.get(0);
        return Fragment.concat(" ON DUPLICATE KEY UPDATE ",
                updates.isEmpty() ? Fragment.of(first + " = " + first) : Fragment.join(", ", updates));
    }

    /** A unique constraint is an index on MySQL. */
    @Override
    public String dropUnique(String table, String name, boolean constraint) {
        return "ALTER TABLE " + quote(table) + " DROP INDEX " + quote(name);
    }

    /** MySQL restates the whole column: MODIFY with its type, NOT NULL and DEFAULT. */
    @Override
    public java.util.List<String> alterColumn(String table, String column, String type, String spec, boolean nullable, String defaultExpr,
                                              boolean typeChanged, boolean nullChanged, boolean defaultChanged) {
        return java.util.List.of("ALTER TABLE " + quote(table) + " MODIFY COLUMN " + quote(column) + " " + spec);
    }

    @Override
    public String excluded(String column) {
        return "VALUES(" + column + ")";
    }

    @Override
    public String truncate(String expr, Field field, dev.modelgate.ir.Truncation unit) {
        boolean date = field.type() == ScalarType.DATE;
        String day = switch (unit) {
            case YEAR -> "MAKEDATE(YEAR(" + expr + "), 1)";
            case MONTH -> "CAST(DATE_FORMAT(" + expr + ", '%Y-%m-01') AS DATE)";
            case WEEK -> "DATE_SUB(DATE(" + expr + "), INTERVAL WEEKDAY(" + expr + ") DAY)";
            case DAY -> "DATE(" + expr + ")";
            case HOUR -> date ? "DATE(" + expr + ")" : null;
        };
        if (date) {
            return day;
        }
        return day == null ? "CAST(DATE_FORMAT(" + expr + ", '%Y-%m-%d %H:00:00') AS DATETIME(3))" : "CAST(" + day + " AS DATETIME(3))";
    }
}
