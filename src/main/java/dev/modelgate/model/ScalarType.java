package dev.modelgate.model;

/** The value types a model field can have (CONTRACT §1 "Field types"). */
public enum ScalarType {
    INT("Int", true, true),
    LONG("Long", true, true),
    FLOAT("Float", true, false),
    BIG_DECIMAL("BigDecimal", true, false),
    STRING("String", false, false),
    BOOLEAN("Boolean", false, false),
    ID("ID", false, false),
    DATE("Date", false, false),
    DATE_TIME("DateTime", false, false),
    JSON("JSON", false, false),
    ENUM(null, false, false);

    private final String graphqlName;
    private final boolean numeric;
    private final boolean integral;

    ScalarType(String graphqlName, boolean numeric, boolean integral) {
        this.graphqlName = graphqlName;
        this.numeric = numeric;
        this.integral = integral;
    }

    /** The GraphQL scalar name, or null for {@link #ENUM} (whose name is the enum's). */
    public String graphqlName() {
        return graphqlName;
    }

    public boolean numeric() {
        return numeric;
    }

    public boolean integral() {
        return integral;
    }

    /** Whether min/max make sense: numbers, strings, dates. */
    public boolean ordered() {
        return numeric || this == STRING || this == DATE || this == DATE_TIME || this == ID;
    }

    /** Whether the field can be filtered and sorted (JSON cannot). */
    public boolean comparable() {
        return this != JSON;
    }

    public static ScalarType byGraphqlName(String name) {
        for (ScalarType t : values()) {
            if (name.equals(t.graphqlName)) {
                return t;
            }
        }
        return null;
    }
}
