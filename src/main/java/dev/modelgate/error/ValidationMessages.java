package dev.modelgate.error;

import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLSchema;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * graphql-java's validation messages, said in GraphQL terms a user can act on, as graphql-js says
 * them: the argument, the input type, the value as it was written (not graphql-java's AST dump)
 * and the closest valid name ("Did you mean "eq"?"). graphql-java finds the error; this only
 * words it. A message of another form is left as graphql-java wrote it.
 */
public final class ValidationMessages {
    private static final String PREFIX = "Validation error \\((\\w+)@\\[[^]]*]\\) : ";
    private static final Pattern EXTRA_FIELD = Pattern.compile(PREFIX + "argument '(.+?)' with value '.*' contains a field not in '(\\w+)': '(\\w+)'", Pattern.DOTALL);
    private static final Pattern BAD_ENUM = Pattern.compile(PREFIX + "argument '(.+?)' with value '(.*)' is not a valid '(\\w+)'.*", Pattern.DOTALL);
    private static final Pattern MISSING_FIELDS = Pattern.compile(PREFIX + "argument '(.+?)' with value '.*' is missing required fields '\\[(.*)]'", Pattern.DOTALL);
    private static final Pattern NOT_OBJECT = Pattern.compile(PREFIX + "argument '(.+?)' with value '(.*)' must be an object type", Pattern.DOTALL);
    private static final Pattern NULL_VALUE = Pattern.compile(PREFIX + "argument '(.+?)' with value '.*' must not be null", Pattern.DOTALL);
    private static final Pattern UNKNOWN_FIELD = Pattern.compile(PREFIX + "Field '(\\w+)' in type '(\\w+)' is undefined");
    private static final Pattern VARIABLE_ENUM = Pattern.compile("(Variable '\\w+' has an invalid value: .*)Invalid input for enum '(\\w+)'\\. No value found for name '(\\w+)'.*", Pattern.DOTALL);
    private static final Pattern VARIABLE_FIELD = Pattern.compile("The variables input contains a field name '(\\w+)' that is not defined for input object type '(\\w+)'.*", Pattern.DOTALL);
    /** graphql-java's AST dumps of a simple value: {@code EnumValue{name='ADMN'}}, {@code StringValue{value='x'}}, … */
    private static final Pattern AST_VALUE = Pattern.compile("(\\w+)Value\\{(?:name|value)=('?)(.*?)\\2}");

    private ValidationMessages() {
    }

    /** The message for a validation error of graphql-java's, reworded where its form is known. */
    public static String reword(String message, GraphQLSchema schema) {
        if (message == null || schema == null) {
            return message;
        }
        Matcher m = EXTRA_FIELD.matcher(message);
        if (m.matches()) {
            String type = m.group(3);
            String field = m.group(4);
            return "Argument \"" + m.group(2) + "\": field \"" + field + "\" is not defined by input type \"" + type + "\"."
                    + didYouMean(field, inputFields(schema.getType(type)));
        }
        m = MISSING_FIELDS.matcher(message);
        if (m.matches()) {
            return "Argument \"" + m.group(2) + "\" is missing required field(s) " + quoted(m.group(3)) + ".";
        }
        m = NOT_OBJECT.matcher(message);
        if (m.matches()) {
            return "Argument \"" + m.group(2) + "\" must be an input object ({ … }), not " + literal(m.group(3)) + ".";
        }
        m = NULL_VALUE.matcher(message);
        if (m.matches()) {
            return "Argument \"" + m.group(2) + "\" must not be null.";
        }
        m = BAD_ENUM.matcher(message);
        if (m.matches()) {
            String type = m.group(4);
            String value = literal(m.group(3));
            graphql.schema.GraphQLType t = schema.getType(type);
            if (t instanceof GraphQLEnumType e) {
                String bare = value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
                return "Argument \"" + m.group(2) + "\": value " + value + " does not exist in enum \"" + type + "\"."
                        + didYouMean(bare, e.getValues().stream().map(GraphQLEnumValueDefinition::getName).toList());
            }
            return "Argument \"" + m.group(2) + "\": " + value + " is not a valid " + type + "." + hint(type);
        }
        m = VARIABLE_ENUM.matcher(message);
        if (m.matches() && schema.getType(m.group(2)) instanceof GraphQLEnumType e) {
            return m.group(1) + "value \"" + m.group(3) + "\" does not exist in enum \"" + m.group(2) + "\"."
                    + didYouMean(m.group(3), e.getValues().stream().map(GraphQLEnumValueDefinition::getName).toList());
        }
        m = VARIABLE_FIELD.matcher(message);
        if (m.matches()) {
            return "Variables: field \"" + m.group(1) + "\" is not defined by input type \"" + m.group(2) + "\"."
                    + didYouMean(m.group(1), inputFields(schema.getType(m.group(2))));
        }
        m = UNKNOWN_FIELD.matcher(message);
        if (m.matches() && schema.getType(m.group(3)) instanceof GraphQLFieldsContainer c) {
            return "Cannot query field \"" + m.group(2) + "\" on type \"" + m.group(3) + "\"."
                    + didYouMean(m.group(2), c.getFieldDefinitions().stream().map(GraphQLFieldDefinition::getName).toList());
        }
        return message;
    }

    private static List<String> inputFields(graphql.schema.GraphQLType type) {
        return type instanceof GraphQLInputObjectType t ? t.getFieldDefinitions().stream().map(GraphQLInputObjectField::getName).toList() : List.of();
    }

    private static String didYouMean(String name, List<String> candidates) {
        List<String> near = Suggestions.list(name, candidates);
        if (near.isEmpty()) {
            return "";
        }
        return " Did you mean " + String.join(" or ", near.stream().map(n -> "\"" + n + "\"").toList()) + "?";
    }

    private static String hint(String type) {
        return switch (type) {
            case "Long", "BigDecimal" -> " Give a number, or a string of digits.";
            case "DateTime" -> " Give an ISO-8601 date-time with an offset, e.g. \"2024-05-01T12:00:00Z\".";
            case "Date" -> " Give an ISO-8601 date, e.g. \"2024-05-01\".";
            case "LocalTime" -> " Give a time of day, e.g. \"13:45:00\".";
            default -> "";
        };
    }

    private static String quoted(String names) {
        return String.join(", ", java.util.Arrays.stream(names.split(",\\s*")).map(n -> "\"" + n.trim() + "\"").toList());
    }

    /** A value as it was written in the document, from graphql-java's dump of a simple one; "the value given" for others. */
    static String literal(String dump) {
        Matcher v = AST_VALUE.matcher(dump);
        if (!v.matches()) {
            return "the value given";
        }
        return switch (v.group(1)) {
            case "String" -> "\"" + v.group(3) + "\"";
            default -> v.group(3);
        };
    }
}
