package dev.modelgate.ir;

import dev.modelgate.error.GatewayException;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.ScalarType;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the scalar values of create, update and increment inputs, refusing values that do
 * not fit their column (length, precision, scale) on every database, and NULL for a NOT
 * NULL column, before any SQL runs.
 */
public final class InputReader {

    /** The model's scalar fields given in {@code input} (relation entries are left to the caller). */
    public Map<Field, Object> scalars(Model m, Map<String, Object> input, String path) {
        Map<Field, Object> out = new LinkedHashMap<>();
        if (input == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : input.entrySet()) {
            var field = m.field(e.getKey());
            if (field.isEmpty()) {
                continue;
            }
            Field f = field.get();
            Object v = e.getValue();
            if (v == null && !f.nullable()) {
                throw GatewayException.badInput(path + "." + f.name() + ": " + m.name() + "." + f.name() + " cannot be null");
            }
            check(m, f, v, path);
            out.put(f, v);
        }
        return out;
    }

    /** An {@code inc} input: numeric fields and the amounts to add. */
    public Map<Field, Object> increments(Model m, Map<String, Object> inc, String path) {
        Map<Field, Object> out = new LinkedHashMap<>();
        if (inc == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : inc.entrySet()) {
            Field f = m.requireField(e.getKey());
            if (e.getValue() == null) {
                throw GatewayException.badInput(path + "." + f.name() + " is null; give an amount to add");
            }
            out.put(f, e.getValue());
        }
        return out;
    }

    /** Refuses a value that its column cannot hold. */
    public static void check(Model m, Field f, Object v, String path) {
        if (v == null) {
            return;
        }
        String where = path + "." + f.name();
        if (v instanceof java.util.List<?> items && f.storedAsSet()) {
            java.util.List<String> allowed = f.setValues();
            for (Object item : items) {
                if (!allowed.contains(String.valueOf(item))) {
                    throw GatewayException.badInput(where + ": " + m.name() + "." + f.name() + " holds only "
                            + String.join(", ", allowed) + "; got " + item);
                }
            }
            return;
        }
        if (v instanceof String s) {
            Integer max = f.maxLength();
            if (max != null && s.codePointCount(0, s.length()) > max) {
                throw GatewayException.badInput(where + ": " + m.name() + "." + f.name() + " holds at most " + max
                        + " characters, got " + s.codePointCount(0, s.length()));
            }
        }
        if (v instanceof BigDecimal d && f.type() == ScalarType.BIG_DECIMAL && f.sqlType() == null) {
            int precision = f.decimalPrecision();
            int scale = f.decimalScale();
            BigDecimal n = d.stripTrailingZeros();
            int fraction = Math.max(0, n.scale());
            int integer = Math.max(0, n.precision() - n.scale());
            if (fraction > scale || integer > precision - scale) {
                throw GatewayException.badInput(where + ": " + m.name() + "." + f.name() + " is DECIMAL(" + precision + "," + scale
                        + "); " + d.toPlainString() + " does not fit");
            }
        }
    }

}
