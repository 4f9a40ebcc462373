package dev.modelgate.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The aggregate functions of docs/api.md, once: the field name in {@code <Model>Aggregate},
 * which field types they apply to and the type of their result. Read by the schema builder,
 * the planner, role visibility and the SQL renderer.
 */
public enum AggregateFn {
    COUNT("count"), SUM("sum"), AVG("avg"), MIN("min"), MAX("max");

    private final String graphqlName;

    AggregateFn(String graphqlName) {
        this.graphqlName = graphqlName;
    }

    public String graphqlName() {
        return graphqlName;
    }

    /** Whether the function applies to fields of type {@code t}; COUNT counts rows, not a field. */
    public boolean appliesTo(ScalarType t) {
        return switch (this) {
            case COUNT -> false;
            case SUM, AVG -> t.numeric();
            case MIN, MAX -> t.ordered();
        };
    }

    /** The type of the result over a field of type {@code t}: AVG is Float, SUM of Int is Long (no overflow). */
    public ScalarType resultType(ScalarType t) {
        return switch (this) {
            case COUNT -> ScalarType.INT;
            case AVG -> ScalarType.FLOAT;
            case SUM -> t == ScalarType.INT ? ScalarType.LONG : t;
            case MIN, MAX -> t;
        };
    }

    /** The functions over a field (all but COUNT). */
    public static java.util.List<AggregateFn> overFields() {
        return Arrays.stream(values()).filter(f -> f != COUNT).toList();
    }

    public static Optional<AggregateFn> byName(String graphqlName) {
        return Arrays.stream(values()).filter(f -> f.graphqlName.equals(graphqlName)).findFirst();
    }
}
