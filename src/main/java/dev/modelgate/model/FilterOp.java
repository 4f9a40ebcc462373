package dev.modelgate.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The filter operators of docs/api.md, once: their names in a {@code <Type>Filter} input, what
 * they take, and which field types have them. The schema builder, the planner, {@code @allow}
 * parsing and the SQL renderer all read this one list.
 */
public enum FilterOp {
    EQ("eq", Operand.VALUE), NE("ne", Operand.VALUE),
    GT("gt", Operand.VALUE), GTE("gte", Operand.VALUE), LT("lt", Operand.VALUE), LTE("lte", Operand.VALUE),
    IN("in", Operand.LIST), NOT_IN("notIn", Operand.LIST),
    IS_NULL("isNull", Operand.FLAG),
    LIKE("like", Operand.TEXT), NOT_LIKE("notLike", Operand.TEXT), ILIKE("ilike", Operand.TEXT),
    STARTS_WITH("startsWith", Operand.TEXT), ENDS_WITH("endsWith", Operand.TEXT), CONTAINS("contains", Operand.TEXT);

    /** What an operator takes: a value of the field's type, a list of them, true/false, or a string pattern. */
    public enum Operand { VALUE, LIST, FLAG, TEXT }

    private static final Map<String, FilterOp> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(FilterOp::graphqlName, Function.identity()));

    private final String graphqlName;
    private final Operand operand;

    FilterOp(String graphqlName, Operand operand) {
        this.graphqlName = graphqlName;
        this.operand = operand;
    }

    public String graphqlName() {
        return graphqlName;
    }

    public Operand operand() {
        return operand;
    }

    /** Whether fields of type {@code t} have this operator. */
    public boolean appliesTo(ScalarType t) {
        if (!t.comparable()) {
            return false;
        }
        boolean ordered = t != ScalarType.BOOLEAN && t != ScalarType.ENUM;
        return switch (this) {
            case EQ, NE, IS_NULL -> true;
            case GT, GTE, LT, LTE -> ordered;
            case IN, NOT_IN -> t != ScalarType.BOOLEAN;
            case LIKE, NOT_LIKE, ILIKE, STARTS_WITH, ENDS_WITH, CONTAINS -> t == ScalarType.STRING;
        };
    }

    /** The operators of a field type, in the order the API lists them. */
    public static List<FilterOp> forType(ScalarType t) {
        return Arrays.stream(values()).filter(op -> op.appliesTo(t)).toList();
    }

    public static Optional<FilterOp> byName(String graphqlName) {
        return Optional.ofNullable(BY_NAME.get(graphqlName));
    }
}
