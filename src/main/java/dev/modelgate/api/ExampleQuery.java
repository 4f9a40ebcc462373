package dev.modelgate.api;

import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

import java.util.List;

/**
 * The query the explorer opens on: a runnable one against the schema it is given (the schema an
 * anonymous visitor sees), so that pressing Run answers with rows rather than a parse error. The
 * first root list that takes {@code limit}, its first scalar fields, and the first to-many
 * relation below it with a few of its own; a schema with no such list gets {@code __typename}.
 */
public final class ExampleQuery {
    private static final int FIELDS = 5;

    private ExampleQuery() {
    }

    public static String of(GraphQLSchema schema) {
        return of(schema, type -> true);
    }

    /** The example over the lists whose row type {@code readable} accepts (the role may read that model's rows). */
    public static String of(GraphQLSchema schema, java.util.function.Predicate<String> readable) {
        var visible = schema.getCodeRegistry().getFieldVisibility();   // the role's view: hidden fields are never in the example
        String intro = "# Welcome to Modelgate. Press the Run button (or Ctrl-Enter) to run this query.\n"
                + "# The Docs button on the left lists every type and field of the API;\n"
                + "# Ctrl-Space in the editor suggests the fields that can go where the cursor is.\n";
        for (GraphQLFieldDefinition root : visible.getFieldDefinitions(schema.getQueryType())) {
            GraphQLObjectType row = rowsOf(root, visible);
            if (row == null || root.getName().startsWith("_") || !readable.test(row.getName())) {
                continue;
            }
            StringBuilder q = new StringBuilder(intro).append("query Example {\n  ").append(root.getName()).append("(limit: 10) {\n");
            scalars(row, "    ", q, visible);
            for (GraphQLFieldDefinition f : visible.getFieldDefinitions(row)) {
                GraphQLObjectType child = rowsOf(f, visible);
                if (child != null && readable.test(child.getName())) {
                    q.append("    ").append(f.getName()).append("(limit: 3) {\n");
                    scalars(child, "      ", q, visible);
                    q.append("    }\n");
                    break;
                }
            }
            return q.append("  }\n}\n").toString();
        }
        return intro + "{\n  __typename\n}\n";
    }

    /** The row type of a list field that takes {@code limit} and needs no other argument; else null. */
    private static GraphQLObjectType rowsOf(GraphQLFieldDefinition f, graphql.schema.visibility.GraphqlFieldVisibility visible) {
        boolean limited = f.getArguments().stream().anyMatch(a -> a.getName().equals("limit"));
        boolean needsMore = f.getArguments().stream().anyMatch(ExampleQuery::required);
        GraphQLType t = GraphQLTypeUtil.unwrapNonNull(f.getType());
        if (!limited || needsMore || !(t instanceof GraphQLList list)) {
            return null;
        }
        return GraphQLTypeUtil.unwrapAll(list) instanceof GraphQLObjectType o && visible.getFieldDefinitions(o).stream().anyMatch(ExampleQuery::scalar)
                ? o : null;
    }

    private static boolean scalar(GraphQLFieldDefinition f) {
        GraphQLOutputType t = f.getType() instanceof GraphQLNonNull n ? (GraphQLOutputType) n.getWrappedType() : f.getType();
        return (t instanceof GraphQLScalarType || t instanceof GraphQLEnumType) && f.getArguments().stream().noneMatch(ExampleQuery::required);
    }

    private static boolean required(GraphQLArgument a) {
        return GraphQLTypeUtil.isNonNull(a.getType()) && !a.hasSetDefaultValue();
    }

    private static void scalars(GraphQLObjectType o, String indent, StringBuilder q, graphql.schema.visibility.GraphqlFieldVisibility visible) {
        List<GraphQLFieldDefinition> fields = visible.getFieldDefinitions(o).stream().filter(ExampleQuery::scalar).limit(FIELDS).toList();
        fields.forEach(f -> q.append(indent).append(f.getName()).append('\n'));
    }
}
