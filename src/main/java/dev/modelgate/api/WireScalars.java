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
    public static final GraphQLScalarType LONG = GraphQLScalarType.newScalar().name("Long")
            .description("A 64-bit integer. Sent as a decimal string (\"9007199254740993\"), so that JavaScript keeps every digit;"
                    + " taken as a number or a string")
            .specifiedByUrl("https://www.rfc-editor.org/rfc/rfc8259#section-6")
            .coercing(new Coercing<Long, Object>() {
                @Override
                public Object serialize(Object v, GraphQLContext c, Locale l) {
                    Long n = ExtendedScalars.GraphQLLong.getCoercing().serialize(v, c, l) instanceof Long x ? x : null;
                    if (n == null) {
                        throw new CoercingSerializeException("not a Long: " + v);
                    }
                    return numbers(c) ? n : n.toString();
                }

                @Override
                public Long parseValue(Object v, GraphQLContext c, Locale l) {
                    return (Long) ExtendedScalars.GraphQLLong.getCoercing().parseValue(v, c, l);
                }

                @Override
                public Long parseLiteral(Value<?> v, CoercedVariables vars, GraphQLContext c, Locale l) {
                    return (Long) ExtendedScalars.GraphQLLong.getCoercing().parseLiteral(v, vars, c, l);
                }

                @Override
                public Value<?> valueToLiteral(Object v, GraphQLContext c, Locale l) {
                    return ExtendedScalars.GraphQLLong.getCoercing().valueToLiteral(v, c, l);
                }
            }).build();

    /** An exact decimal: a string that keeps its scale ({@code "12.50"}). */
    public static final GraphQLScalarType BIG_DECIMAL = GraphQLScalarType.newScalar().name("BigDecimal")
            .description("An exact decimal. Sent as a string that keeps its scale (\"12.50\"); taken as a number or a string")
            .specifiedByUrl("https://www.rfc-editor.org/rfc/rfc8259#section-6")
            .coercing(new Coercing<BigDecimal, Object>() {
                @Override
                public Object serialize(Object v, GraphQLContext c, Locale l) {
                    BigDecimal d;
                    if (v instanceof BigDecimal x) {
                        d = x;
                    } else if (v instanceof BigInteger i) {
                        d = new BigDecimal(i);
                    } else if (v instanceof Number n) {
                        d = new BigDecimal(n.toString());
                    } else {
                        d = (BigDecimal) ExtendedScalars.GraphQLBigDecimal.getCoercing().serialize(v, c, l);
                    }
                    return numbers(c) ? d : d.toPlainString();
                }

                @Override
                public BigDecimal parseValue(Object v, GraphQLContext c, Locale l) {
                    return (BigDecimal) ExtendedScalars.GraphQLBigDecimal.getCoercing().parseValue(v, c, l);
                }

                @Override
                public BigDecimal parseLiteral(Value<?> v, CoercedVariables vars, GraphQLContext c, Locale l) {
                    return (BigDecimal) ExtendedScalars.GraphQLBigDecimal.getCoercing().parseLiteral(v, vars, c, l);
                }

                @Override
                public Value<?> valueToLiteral(Object v, GraphQLContext c, Locale l) {
                    return ExtendedScalars.GraphQLBigDecimal.getCoercing().valueToLiteral(v, c, l);
                }
            }).build();

    /** graphql-java's scalar with the URL of the format it follows. */
    static GraphQLScalarType specified(GraphQLScalarType s, String url) {
        return s.getSpecifiedByUrl() != null ? s : s.transform(b -> b.specifiedByUrl(url));
    }

    public static final GraphQLScalarType DATE = specified(ExtendedScalars.Date, "https://www.rfc-editor.org/rfc/rfc3339#section-5.6");
    public static final GraphQLScalarType DATE_TIME = specified(ExtendedScalars.DateTime, "https://scalars.graphql.org/andimarek/date-time");
    public static final GraphQLScalarType LOCAL_TIME = specified(ExtendedScalars.LocalTime, "https://www.rfc-editor.org/rfc/rfc3339#section-5.6");
    public static final GraphQLScalarType JSON = specified(ExtendedScalars.Json, "https://www.rfc-editor.org/rfc/rfc8259");
}
