package dev.modelgate.model;

/** The value types a model field can have (docs/models.md, field types). */
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
    /** A time of day without a date or zone ({@code "HH:MM:SS"}): SQL {@code TIME}. */
    LOCAL_TIME("LocalTime", false, false),
    /** Binary data, base64 in JSON: {@code BLOB}, {@code VARBINARY}, {@code bytea}. */
    BYTES("Bytes", false, false),
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
        return numeric || this == STRING || this == DATE || this == DATE_TIME || this == ID || this == LOCAL_TIME;
    }

    /** Whether the field can be filtered and sorted (JSON and binary data cannot). */
    public boolean comparable() {
        return this != JSON && this != BYTES;
    }

    /**
     * A value of this type from text or a number (a literal in a model file, a session
     * variable from a token): {@code "7"} or 7 for Int, {@code "2024-01-01"} for Date, …
     * Throws IllegalArgumentException when it is not one.
     */
    public Object valueOf(Object raw) {
        if (raw == null) {
            return null;
        }
        String text = raw.toString();
        try {
            return switch (this) {
                case INT -> raw instanceof Number n ? Math.toIntExact(exactLong(n)) : Integer.parseInt(text.trim());
                case LONG -> raw instanceof Number n ? exactLong(n) : Long.parseLong(text.trim());
                case FLOAT -> raw instanceof Number n ? n.doubleValue() : Double.parseDouble(text.trim());
                case BIG_DECIMAL -> new java.math.BigDecimal(text.trim());
                case STRING, ID, ENUM -> text;
                case BOOLEAN -> {
                    if (raw instanceof Boolean b) {
                        yield b;
                    }
                    if (!text.equals("true") && !text.equals("false")) {
                        throw new IllegalArgumentException("not true or false");
                    }
                    yield Boolean.parseBoolean(text);
                }
                case DATE -> java.time.LocalDate.parse(text);
                case DATE_TIME -> java.time.OffsetDateTime.parse(text);
                case LOCAL_TIME -> java.time.LocalTime.parse(text);
                case BYTES -> raw instanceof byte[] b ? b : java.util.Base64.getDecoder().decode(text);
                case JSON -> raw;
            };
        } catch (ArithmeticException | java.time.format.DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a " + (graphqlName == null ? "value of the enum" : graphqlName), e);
        }
    }

    private static long exactLong(Number n) {
        if (n instanceof java.math.BigInteger b) {
            return b.longValueExact();
        }
        if (n instanceof java.math.BigDecimal d) {
            return d.longValueExact();
        }
        if (n instanceof Double || n instanceof Float) {
            double v = n.doubleValue();
            if (v != Math.rint(v)) {
                throw new ArithmeticException("not a whole number");
            }
        }
        return n.longValue();
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
