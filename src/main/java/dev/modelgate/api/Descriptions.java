package dev.modelgate.api;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;
import dev.modelgate.model.Relation;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.schema.SchemaTransformer;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;

import java.util.Map;

/**
 * One line of description for every generated type, field, argument, input field and enum value
 * that has none of its own (a model's or field's own description always wins): what it is, read
 * off the name the schema builder gave it and the model that owns it. What GraphiQL's docs panel
 * and a schema linter show.
 */
final class Descriptions {
    private final Map<String, Model> owners;

    private Descriptions(Map<String, Model> owners) {
        this.owners = owners;
    }

    /** {@code schema} with a description wherever it had none. */
    static GraphQLSchema fill(GraphQLSchema schema, Map<String, Model> owners) {
        Descriptions d = new Descriptions(owners);
        return SchemaTransformer.transformSchema(schema, new GraphQLTypeVisitorStub() {
            @Override
            public TraversalControl visitGraphQLObjectType(GraphQLObjectType t, TraverserContext<GraphQLSchemaElement> c) {
                return t.getDescription() != null || t.getName().startsWith("__") ? TraversalControl.CONTINUE
                        : changeNode(c, t.transform(b -> b.description(d.type(t.getName()))));
            }

            @Override
            public TraversalControl visitGraphQLInputObjectType(GraphQLInputObjectType t, TraverserContext<GraphQLSchemaElement> c) {
                return t.getDescription() != null ? TraversalControl.CONTINUE : changeNode(c, t.transform(b -> b.description(d.type(t.getName()))));
            }

            @Override
            public TraversalControl visitGraphQLEnumType(GraphQLEnumType t, TraverserContext<GraphQLSchemaElement> c) {
                return t.getDescription() != null || t.getName().startsWith("__") ? TraversalControl.CONTINUE
                        : changeNode(c, t.transform(b -> b.description(d.type(t.getName()))));
            }

            @Override
            public TraversalControl visitGraphQLFieldDefinition(GraphQLFieldDefinition f, TraverserContext<GraphQLSchemaElement> c) {
                String owner = name(c.getParentNode());
                return f.getDescription() != null || owner == null || owner.startsWith("__") ? TraversalControl.CONTINUE
                        : changeNode(c, f.transform(b -> b.description(d.field(owner, f.getName()))));
            }

            @Override
            public TraversalControl visitGraphQLInputObjectField(GraphQLInputObjectField f, TraverserContext<GraphQLSchemaElement> c) {
                String owner = name(c.getParentNode());
                return f.getDescription() != null || owner == null ? TraversalControl.CONTINUE
                        : changeNode(c, f.transform(b -> b.description(d.inputField(owner, f.getName()))));
            }

            @Override
            public TraversalControl visitGraphQLArgument(GraphQLArgument a, TraverserContext<GraphQLSchemaElement> c) {
                if (a.getDescription() != null || !(c.getParentNode() instanceof GraphQLFieldDefinition f)) {
                    return TraversalControl.CONTINUE;
                }
                String owner = c.getParentContext() == null || c.getParentContext().getParentNode() == null ? null
                        : name(c.getParentContext().getParentNode());
                if (owner == null || owner.startsWith("__")) {
                    return TraversalControl.CONTINUE;
                }
                return changeNode(c, a.transform(b -> b.description(d.argument(owner, f.getName(), a.getName()))));
            }

            @Override
            public TraversalControl visitGraphQLEnumValueDefinition(GraphQLEnumValueDefinition v, TraverserContext<GraphQLSchemaElement> c) {
                String owner = name(c.getParentNode());
                return v.getDescription() != null || owner == null || owner.startsWith("__") ? TraversalControl.CONTINUE
                        : changeNode(c, v.transform(b -> b.description(d.enumValue(owner, v.getName()))));
            }
        });
    }

    private static String name(GraphQLSchemaElement e) {
        return e instanceof GraphQLNamedType t ? t.getName() : null;
    }

    /** The model a derived type's name starts with, and what follows it ({@code CitySumHaving} → City, SumHaving). */
    private record Derived(Model model, String suffix) {
    }

    private Derived derived(String type) {
        Model m = owners.get(type);
        if (m != null && type.startsWith(m.name())) {
            return new Derived(m, type.substring(m.name().length()));
        }
        Derived best = null;
        for (Model candidate : owners.values()) {
            if (type.startsWith(candidate.name()) && (best == null || candidate.name().length() > best.model().name().length())) {
                best = new Derived(candidate, type.substring(candidate.name().length()));
            }
        }
        return best;
    }

    private static String fn(String suffix) {
        if (suffix.startsWith("Sum")) {
            return "sum";
        }
        if (suffix.startsWith("Avg")) {
            return "average";
        }
        if (suffix.startsWith("Min")) {
            return "smallest value";
        }
        return "largest value";
    }

    String type(String type) {
        Derived d = derived(type);
        if (d == null) {
            return switch (type) {
                case "Query" -> "Reads: lists, lookups by key, aggregates, groups and pages of every model";
                case "Subscription" -> "Live queries: each Query field, its result sent at once and again whenever it changes";
                case "Mutation" -> "Writes: create, update, upsert and delete for every writable model, each operation one transaction";
                default -> "Values of " + type;
            };
        }
        String m = d.model().name();
        String s = d.suffix();
        if (s.isEmpty()) {
            return "A row of " + m;
        }
        if (s.endsWith("Fields")) {
            return "The " + fn(s) + " of each field of the " + m + " rows aggregated (null over no rows)";
        }
        if (s.endsWith("Having") && !s.equals("Having")) {
            return "Filters on the " + fn(s) + " of each field of a group of " + m + " rows";
        }
        if (s.endsWith("OrderBy") && !s.equals("OrderBy") && !s.equals("GroupOrderBy")) {
            return "Groups of " + m + " rows ordered by the " + fn(s) + " of one field";
        }
        if (s.equals("CreateInput")) {
            return "A new " + m + ": its fields (required where the column is NOT NULL without a default) and rows to create or link under it";
        }
        if (s.startsWith("CreateWithout")) {
            return "A new " + m + " created under its parent, which gives it its key";
        }
        if (s.equals("UpdateInput")) {
            return "Changes to a " + m + ": new values (null sets NULL) and changes through its relations";
        }
        if (s.startsWith("UpdateManyWithout") || s.startsWith("UpdateOneWithout")) {
            return "Changes to the " + m + " rows under each updated parent, only ever among its own";
        }
        if (s.equals("UpdateWhereInput")) {
            return "The " + m + " rows matching where get set";
        }
        if (s.equals("IncInput")) {
            return "Amounts added to numeric fields of " + m + ", atomically";
        }
        if (s.equals("LinkCreateInput") || s.equals("LinkUpdateInput")) {
            return m + " rows to link by key, or to create and link";
        }
        if (s.equals("ConnectOrCreateInput")) {
            return "The " + m + " to point at: an existing one by key, or a new one";
        }
        if (s.equals("MutationResult")) {
            return "What an update or delete of many " + m + " rows did";
        }
        if (s.equals("Key")) {
            return "The key of a " + m + ": every field of it";
        }
        return m + " " + s;
    }

    String field(String type, String field) {
        switch (field) {
            case "count":
                return "How many rows";
            case "sum":
                return "The sum of each numeric field";
            case "avg":
                return "The average of each numeric field";
            case "min":
                return "The smallest value of each field";
            case "max":
                return "The largest value of each field";
            case "affectedRows":
                return "The rows matched by where, whether or not a value changed";
            case "returning":
                return "The rows as they are after the change (the deleted rows, for a delete)";
            case "edges":
                return "The page's rows, each with its cursor";
            case "nodes":
                return "The page's rows";
            case "pageInfo":
                return "Where the page is in the whole list";
            case "cursor":
                return "This row's place in the order, for after or before";
            case "node":
                return "The row";
            default:
                break;
        }
        Derived d = derived(type);
        if (d == null) {
            return "The " + field + " of " + type;
        }
        Model m = d.model();
        var relation = m.relation(field);
        if (relation.isPresent()) {
            Relation r = relation.get();
            return r.toMany() ? "The " + r.target() + " rows of this " + m.name() : "The " + r.target() + " of this " + m.name();
        }
        for (Relation r : m.relations()) {
            if (field.equals(r.name() + "Aggregate")) {
                return "Aggregates over the " + r.name() + " of this " + m.name();
            }
            if (field.equals(r.name() + "GroupBy")) {
                return "The " + r.name() + " of this " + m.name() + ", grouped";
            }
            if (field.equals(r.name() + "Connection")) {
                return "The " + r.name() + " of this " + m.name() + ", a page at a time";
            }
        }
        Field f = m.field(field).orElse(null);
        if (f == null) {
            return "The " + field + " of " + type;
        }
        String s = d.suffix();
        if (s.endsWith("Fields")) {
            return "The " + fn(s) + " of " + field;
        }
        if (s.equals("GroupKey")) {
            return "The " + field + " the group's rows share (null when not in by)";
        }
        return f.description() != null ? f.description() : "The " + field + " of this " + m.name();
    }

    String inputField(String type, String field) {
        switch (field) {
            case "and":
                return "Every one of these matches";
            case "or":
                return "At least one of these matches";
            case "not":
                return "This does not match";
            case "connect":
                return "Existing rows to link or point at, by key";
            case "disconnect":
                return "Rows to unlink, by key";
            case "create":
                return "New rows, created and linked";
            case "set":
                return type.endsWith("UpdateWhereInput") ? "The changes for each matching row" : "Link exactly these rows, by key (every other link goes)";
            case "update":
                return "Changes to related rows";
            case "delete":
                return "Related rows to delete";
            case "where":
                return "Which rows";
            case "key":
                return "Order by one of the group's key fields";
            case "count":
                return type.endsWith("Having") ? "A filter on how many rows the group has" : "Order by how many rows each group has";
            default:
                break;
        }
        Derived d = derived(type);
        if (d == null) {
            return "The " + field + " operator";
        }
        String s = d.suffix();
        String m = d.model().name();
        if (s.endsWith("Having")) {
            return s.equals("Having") ? "A filter on the " + field + " of fields of the group" : "A filter on the " + fn(s) + " of " + field;
        }
        if (s.endsWith("OrderBy") && !s.equals("OrderBy") && !s.equals("GroupOrderBy")) {
            return "Order groups by the " + fn(s) + " of " + field;
        }
        if (s.equals("GroupOrderBy")) {
            return "Order groups by the " + field + " of a field";
        }
        if (s.equals("OrderBy") || s.equals("OrderByScalar")) {
            return "Sort by " + field;
        }
        if (s.equals("Where")) {
            return "A filter on " + field;
        }
        if (s.equals("Truncate")) {
            return "Group " + field + " by the start of its year, month, week, day or hour";
        }
        if (s.equals("IncInput")) {
            return "The amount added to " + field;
        }
        if (s.equals("UpdateInput")) {
            return d.model().relation(field).isPresent() ? "Changes through " + field : "The new value of " + field + " (null sets NULL)";
        }
        if (s.startsWith("Create")) {
            return d.model().relation(field).isPresent() ? "Rows created or linked through " + field : "The new " + m + "'s " + field;
        }
        return "The " + field + " of " + m;
    }

    String argument(String type, String field, String arg) {
        return switch (arg) {
            case "where" -> "Only rows matching this filter";
            case "orderBy" -> "Sort order, one field per element";
            case "limit" -> "At most this many";
            case "offset" -> "Skip this many";
            case "data" -> field.startsWith("upsert") ? "The row to insert, or whose key or unique field finds the row to update"
                    : "The row or rows to create";
            case "set" -> "Values to set";
            case "inc" -> "Amounts to add, atomically";
            case "update" -> "Values set when the row exists";
            default -> "The " + arg + " of the row (its key)";
        };
    }

    String enumValue(String type, String value) {
        if (type.equals(SchemaBuilder.DATE_TRUNCATE)) {
            return "The first instant of the " + value.toLowerCase() + (value.equals("WEEK") ? " (weeks start on Monday)" : "") + ", in UTC";
        }
        Derived d = derived(type);
        if (d != null && d.suffix().equals("Field")) {
            return "Group by " + value;
        }
        return "The value " + value;
    }
}
