package dev.modelgate.sql;

import dev.modelgate.model.Field;


/** PostgreSQL: identity keys, native ILIKE, TIMESTAMPTZ, JSONB, strings sent untyped so they fit any column. */
public final class PostgresDialect extends BaseDialect {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public int maxParameters() {
        return 32000;
    }

    /** PostGIS's ST_AsGeoJSON; the built-in {@code point} type made GeoJSON by hand. */
    @Override
    public String geoJson(String expr, Field field) {
        if ("POINT".equals(field.sqlTypeName())) {
            return "CAST(json_build_object('type', 'Point', 'coordinates', json_build_array(" + expr + "[0], " + expr + "[1])) AS TEXT)";
        }
        return "ST_AsGeoJSON(" + expr + ")";
    }

    @Override
    String typeOf(Field f) {
        return switch (f.type()) {
            case BIG_DECIMAL -> super.typeOf(f).replace("DECIMAL", "NUMERIC");
            case DATE_TIME -> "TIMESTAMP WITH TIME ZONE";
            case JSON -> "JSONB";
            case BYTES -> "BYTEA";
            default -> super.typeOf(f);
        };
    }

    @Override
    public String truncate(String expr, Field field, dev.modelgate.ir.Truncation unit) {
        boolean date = field.type() == dev.modelgate.model.ScalarType.DATE;
        String u = (date && unit == dev.modelgate.ir.Truncation.HOUR ? dev.modelgate.ir.Truncation.DAY : unit).name().toLowerCase();
        return date ? "CAST(date_trunc('" + u + "', " + expr + ") AS DATE)" : "date_trunc('" + u + "', " + expr + ", 'UTC')";
    }
}
