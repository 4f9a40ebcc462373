package dev.modelgate.support;

import dev.modelgate.api.SchemaBuilder;
import dev.modelgate.ir.Access;
import dev.modelgate.ir.FieldPlan;
import dev.modelgate.ir.Planner;
import dev.modelgate.model.Models;
import dev.modelgate.model.Permissions;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.execution.RawVariables;
import graphql.execution.ValuesResolver;
import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.parser.Parser;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLSchema;
import graphql.validation.ValidationError;
import graphql.validation.Validator;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Plans operations on the derived schema of some models, with no database: for plan and golden SQL tests. */
public final class Plans {
    public final Models models;
    public final GraphQLSchema schema;
    private final Planner planner;

    public Plans(Models models, int maxRows) {
        this.models = models;
        SchemaBuilder.DerivedApi api = SchemaBuilder.derive(models);
        this.schema = api.schema();
        this.planner = new Planner(api, models, maxRows);
    }

    /** The plan of {@code query} for {@code role} (admin: unrestricted) with session values {@code session}. */
    public List<FieldPlan> plan(String query, Map<String, Object> variables, String role, Map<String, Object> session) {
        Document doc = Parser.parse(query);
        List<ValidationError> invalid = new Validator().validateDocument(schema, doc, Locale.ROOT);
        if (!invalid.isEmpty()) {
            throw new IllegalArgumentException("invalid test query: " + invalid);
        }
        OperationDefinition op = doc.getDefinitionsOfType(OperationDefinition.class).get(0);
        CoercedVariables coerced = ValuesResolver.coerceVariableValues(schema, op.getVariableDefinitions(),
                RawVariables.of(variables), GraphQLContext.getDefault(), Locale.ROOT);
        var normalized = ExecutableNormalizedOperationFactory.createExecutableNormalizedOperation(schema, doc, null, coerced);
        Planner.Arguments arguments = new Planner.Arguments() {
            @Override
            public Map<String, Object> values(GraphQLFieldDefinition definition, List<Argument> args) {
                return ValuesResolver.getArgumentValues(schema.getCodeRegistry(), definition.getArguments(), args, coerced,
                        GraphQLContext.getDefault(), Locale.ROOT);
            }

            @Override
            public Map<String, Object> variables() {
                return coerced.toMap();
            }
        };
        return planner.bind(planner.shape(normalized, schema), arguments, new Access(new dev.modelgate.ir.PermissionFilters(new Permissions(models)), role, session));
    }

    public List<FieldPlan> plan(String query) {
        return plan(query, Map.of(), Permissions.ADMIN, Map.of());
    }
}
