package dev.modelgate.api;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.Value;
import graphql.scalars.ExtendedScalars;
import graphql.schema.Coercing;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/**
 * The custom scalars of the derived API as they travel in JSON. {@code Long} and
 * {@code BigDecimal} are written as strings ({@code "9007199254740993"}, {@code "12.50"}), the
 * convention of PostGraphile's BigInt/BigFloat and Hasura's numerics, so that no JavaScript client
 * rounds a value past 2^53 or drops a decimal's scale; as input they take a number or a string. A
 * request whose GraphQL context says {@link #NUMBERS} (the setting {@code server.bigNumbers: number})
 * gets JSON numbers instead. Every custom scalar names the format it follows ({@code @specifiedBy}).
 */
public final class WireScalars {
    /** The GraphQL-context key that makes Long and BigDecimal JSON numbers for one request. */
    public static final String NUMBERS = "modelgate.bigNumbersAsNumbers";

    private WireScalars() {
    }

    private static boolean numbers(GraphQLContext c) {
        return c != null && Boolean.TRUE.equals(c.get(NUMBERS));
    }

    /** A 64-bit integer: a decimal string on the wire (a number with {@code server.bigNumbers: number}). */
    public static final GraphQLScalarType LONG = exactText("Long", "A 64-bit integer. Sent as a decimal string (\"9007199254740993\"),"
            + " so that JavaScript keeps every digit; taken as a number or a string", ExtendedScalars.GraphQLLong, (v, c, l) -> {
                if (!(ExtendedScalars.GraphQLLong.getCoercing().serialize(v, c, l) instanceof Long n)) {
                    throw new CoercingSerializeException("not a Long: " + v);
                }
                return n;
            }, Object::toString);

    /** An exact decimal: a string that keeps its scale ({@code "12.50"}). */
    public static final GraphQLScalarType BIG_DECIMAL = exactText("BigDecimal", "An exact decimal. Sent as a string that keeps its scale"
            + " (\"12.50\"); taken as a number or a string", ExtendedScalars.GraphQLBigDecimal, (v, c, l) -> {
                if (v instanceof BigDecimal x) {
                    return x;
                }
                if (v instanceof BigInteger i) {
                    return new BigDecimal(i);
                }
                if (v instanceof Number n) {
                    return new BigDecimal(n.toString());
                }
                return ExtendedScalars.GraphQLBigDecimal.getCoercing().serialize(v, c, l);
            }, d -> ((BigDecimal) d).toPlainString());

    /** How a value becomes the number it is (before it is sent as text or as a JSON number). */
    private interface Exact {
        Object of(Object value, GraphQLContext context, Locale locale);
    }

    /**
     * A number scalar sent as exact text ({@code text}) unless the request asks for numbers; its input
     * (a number or a string) read as graphql-java's {@code base} reads it.
     */
    @SuppressWarnings("unchecked")
    private static GraphQLScalarType exactText(String name, String description, GraphQLScalarType base, Exact exact,
                                               java.util.function.Function<Object, String> text) {
        Coercing<Object, Object> in = (Coercing<Object, Object>) base.getCoercing();
        return GraphQLScalarType.newScalar().name(name).description(description)
                .specifiedByUrl("https://www.rfc-editor.org/rfc/rfc8259#section-6")
                .coercing(new Coercing<Object, Object>() {
                    @Override
                    public Object serialize(Object v, GraphQLContext c, Locale l) {
                        Object n = exact.of(v, c, l);
                        return numbers(c) ? n : text.apply(n);
                    }

                    @Override
                    public Object parseValue(Object v, GraphQLContext c, Locale l) {
                        return in.parseValue(v, c, l);
                    }

                    @Override
                    public Object parseLiteral(Value<?> v, CoercedVariables vars, GraphQLContext c, Locale l) {
                        return in.parseLiteral(v, vars, c, l);
                    }

                    @Override
                    public Value<?> valueToLiteral(Object v, GraphQLContext c, Locale l) {
                        return in.valueToLiteral(v, c, l);
                    }
                }).build();
    }

    /** graphql-java's scalar with the URL of the format it follows. */
    static GraphQLScalarType specified(GraphQLScalarType s, String url) {
        return s.getSpecifiedByUrl() != null ? s : s.transform(b -> b.specifiedByUrl(url));
    }

    public static final GraphQLScalarType DATE = specified(ExtendedScalars.Date, "https://www.rfc-editor.org/rfc/rfc3339#section-5.6");
    public static final GraphQLScalarType DATE_TIME = specified(ExtendedScalars.DateTime, "https://scalars.graphql.org/andimarek/date-time");
    public static final GraphQLScalarType LOCAL_TIME = specified(ExtendedScalars.LocalTime, "https://www.rfc-editor.org/rfc/rfc3339#section-5.6");
    public static final GraphQLScalarType JSON = specified(ExtendedScalars.Json, "https://www.rfc-editor.org/rfc/rfc8259");
}
