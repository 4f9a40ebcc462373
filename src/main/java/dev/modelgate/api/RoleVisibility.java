package dev.modelgate.api;

import dev.modelgate.model.Allow;
import dev.modelgate.model.Inflector;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Permissions;
import dev.modelgate.model.Relation;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import graphql.schema.visibility.GraphqlFieldVisibility;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The derived schema as one role sees it (docs/security.md {@code fields}): fields outside the
 * role's {@code fields} list, relationships to models it may not read, and hand-written
 * {@code @sql} fields (admin only once permissions exist) are absent from its introspection
 * and fail validation, in output types and in every input (where, orderBy, create, update,
 * inc, aggregate fields) alike.
 */
public final class RoleVisibility implements GraphqlFieldVisibility {
    private final Set<String> hidden = new HashSet<>();
    /** Values of model-owned enums (the fields to group by) the role may not see, by enum name. */
    private final Map<String, Set<String>> hiddenValues = new java.util.HashMap<>();

    public RoleVisibility(GraphQLSchema schema, Map<String, Model> owners, Models models, Permissions permissions, String role) {
        Set<String> sqlFields = new HashSet<>();
        models.sqlFields().forEach(f -> sqlFields.add(f.owner() + "." + f.name()));
        models.sqlFields().stream().filter(f -> f.owner().equals("Query")).forEach(f -> sqlFields.add("Subscription." + f.name()));
        for (GraphQLNamedType t : schema.getAllTypesAsList()) {
            List<String> names;
            if (t instanceof GraphQLFieldsContainer c) {
                names = c.getFieldDefinitions().stream().map(GraphQLFieldDefinition::getName).toList();
            } else if (t instanceof GraphQLInputObjectType in) {
                names = in.getFieldDefinitions().stream().map(GraphQLInputObjectField::getName).toList();
            } else if (t instanceof graphql.schema.GraphQLEnumType) {
                names = List.of();
            } else {
                continue;
            }
            Model owner = owners.get(t.getName());
            if (t instanceof graphql.schema.GraphQLEnumType e && owner != null) {   // CityField: the fields to group by
                for (var v : e.getValues()) {
                    if (!shows(models, permissions, role, owner, v.getName())) {
                        hiddenValues.computeIfAbsent(e.getName(), k -> new HashSet<>()).add(v.getName());
                    }
                }
                continue;
            }
            for (String name : names) {
                String key = t.getName() + "." + name;
                if (sqlFields.contains(key) || (owner != null && !shows(models, permissions, role, owner, name))) {
                    hidden.add(key);
                }
            }
        }
    }

    /** Whether the role sees a member (field, relation, relation aggregate) of a model-derived type. */
    private static boolean shows(Models models, Permissions permissions, String role, Model m, String name) {
        if (name.equals(SchemaBuilder.NODE_ID)) {   // a global id says the key: shown where every key field is
            return m.key().stream().allMatch(k -> permissions.shows(role, m, k.name()));
        }
        String member = name;
        for (Relation r : m.relations()) {
            if (r.toMany() && (name.equals(Inflector.relationAggregateField(r)) || name.equals(Inflector.relationGroupByField(r))
                    || name.equals(Inflector.relationConnectionField(r)))) {
                member = r.name();
            }
        }
        var relation = m.relation(member);
        if (relation.isEmpty() && m.field(member).isEmpty()) {
            return true;   // not a member of the model: and/or/not, count, an aggregate's part
        }
        if (relation.isPresent() && !permissions.allows(role, models.target(relation.get()), Allow.Op.READ)) {
            return false;
        }
        return permissions.shows(role, m, member);
    }

    private boolean visible(String type, String field) {
        return !hidden.contains(type + "." + field);
    }

    @Override
    public List<GraphQLFieldDefinition> getFieldDefinitions(GraphQLFieldsContainer c) {
        return c.getFieldDefinitions().stream().filter(f -> visible(c.getName(), f.getName())).toList();
    }

    @Override
    public GraphQLFieldDefinition getFieldDefinition(GraphQLFieldsContainer c, String name) {
        GraphQLFieldDefinition f = c.getFieldDefinition(name);
        return f != null && visible(c.getName(), name) ? f : null;
    }

    @Override
    public List<GraphQLInputObjectField> getFieldDefinitions(GraphQLInputFieldsContainer c) {
        return c.getFieldDefinitions().stream().filter(f -> visible(c.getName(), f.getName())).toList();
    }

    @Override
    public GraphQLInputObjectField getFieldDefinition(GraphQLInputFieldsContainer c, String name) {
        GraphQLInputObjectField f = c.getFieldDefinition(name);
        return f != null && visible(c.getName(), name) ? f : null;
    }

    /**
     * The schema a role sees: the same types and resolvers, with this role's visibility over the
     * members of the types the schema builder recorded as a model's ({@link SchemaBuilder.DerivedApi#fieldOwners}).
     */
    public static GraphQLSchema forRole(SchemaBuilder.DerivedApi api, Models models, Permissions permissions, String role) {
        GraphQLSchema schema = api.schema();
        if (permissions.unrestricted(role)) {
            return schema;
        }
        RoleVisibility v = new RoleVisibility(schema, api.fieldOwners(), models, permissions, role);
        GraphQLSchema visible = GraphQLSchema.newSchema(schema).codeRegistry(schema.getCodeRegistry().transform(c -> c.fieldVisibility(v))).build();
        if (v.hiddenValues.isEmpty()) {
            return visible;
        }
        // a field the role may not see is no value of the enum it groups by: the enum is rebuilt without it, in
        // a schema of this role's own (the transformer rewires the types that use it, which a shared schema must not see)
        GraphQLSchema own = SchemaBuilder.build(models);
        own = GraphQLSchema.newSchema(own).codeRegistry(own.getCodeRegistry().transform(c -> c.fieldVisibility(v))).build();
        return graphql.schema.SchemaTransformer.transformSchema(own, new graphql.schema.GraphQLTypeVisitorStub() {
            @Override
            public graphql.util.TraversalControl visitGraphQLEnumType(graphql.schema.GraphQLEnumType e,
                                                                      graphql.util.TraverserContext<graphql.schema.GraphQLSchemaElement> context) {
                Set<String> gone = v.hiddenValues.get(e.getName());
                if (gone == null) {
                    return graphql.util.TraversalControl.CONTINUE;
                }
                graphql.schema.GraphQLEnumType kept = e.transform(b -> {
                    b.clearValues();
                    e.getValues().stream().filter(x -> !gone.contains(x.getName())).forEach(b::value);
                    if (e.getValues().stream().allMatch(x -> gone.contains(x.getName()))) {
                        b.value("_none", "_none", "No field can be grouped by");
                    }
                });
                return changeNode(context, kept);
            }
        });
    }
}
