package dev.modelgate.sql;

import dev.modelgate.model.Field;


/**
 * H2 2.x: standard OFFSET/FETCH paging, identity keys read back as JDBC generated keys,
 * upsert as standard MERGE, DateTime as TIMESTAMP WITH TIME ZONE, JSON kept as text, unquoted
 * names folded to lower case.
 */
public final class H2Dialect extends BaseDialect {

    @Override
    public String name() {
        return "h2";
    }

    @Override
    boolean nullsSortHigh() {
        return false;
    }

    @Override
    public Fragment paging(Long limit, Long offset) {
        return Fragment.concat(offset == null ? Fragment.EMPTY : Fragment.concat(" OFFSET ", Fragment.param(offset), " ROWS"),
                limit == null ? Fragment.EMPTY : Fragment.concat(" FETCH FIRST ", Fragment.param(limit), " ROWS ONLY"));
    }

    /** AVG over integers is an integer in H2: average as DOUBLE PRECISION. */
    @Override
    public String aggregate(dev.modelgate.model.AggregateFn fn, String expr) {
        return fn == dev.modelgate.model.AggregateFn.AVG ? "AVG(CAST(" + expr + " AS DOUBLE PRECISION))" : super.aggregate(fn, expr);
    }

    @Override
    public String renameColumn(String table, String from, String to) {
        return "ALTER TABLE " + quote(table) + " ALTER COLUMN " + quote(from) + " RENAME TO " + quote(to);
    }

    @Override
    public java.util.List<String> alterColumn(String table, String column, String type, String spec, boolean nullable, String defaultExpr,
                                              boolean typeChanged, boolean nullChanged, boolean defaultChanged) {
        String at = "ALTER TABLE " + quote(table) + " ALTER COLUMN " + quote(column);
        java.util.List<String> out = new java.util.ArrayList<>();
        if (typeChanged) {
            out.add(at + " SET DATA TYPE " + type);
        }
        if (nullChanged) {
            out.add(at + (nullable ? " SET NULL" : " SET NOT NULL"));
        }
        if (defaultChanged) {
            out.add(at + (defaultExpr == null ? " DROP DEFAULT" : " SET DEFAULT " + defaultExpr));
        }
        return out;
    }

    @Override
    String typeOf(Field f) {
        return switch (f.type()) {
            case DATE_TIME -> "TIMESTAMP(3) WITH TIME ZONE";
            case JSON -> "CHARACTER LARGE OBJECT";
            case BYTES -> "VARBINARY";
            default -> super.typeOf(f);
        };
    }

    @Override
    public boolean insertReturning() {
        return false;
    }

    @Override
    public boolean mergeUpsert() {
        return true;
    }

    @Override
    public String truncate(String expr, Field field, dev.modelgate.ir.Truncation unit) {
        boolean date = field.type() == dev.modelgate.model.ScalarType.DATE;
        String u = switch (unit) {
            case WEEK -> "ISO_WEEK";
            case HOUR -> date ? "DAY" : "HOUR";
            default -> unit.name();
        };
        return "DATE_TRUNC(" + u + ", " + expr + ")";
    }
}
