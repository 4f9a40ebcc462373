package dev.modelgate.api;

import dev.modelgate.ir.SortOrder;
import dev.modelgate.model.AggregateFn;
import dev.modelgate.model.EnumDef;
import dev.modelgate.model.FilterOp;
import dev.modelgate.model.Field;
import dev.modelgate.model.Inflector;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import dev.modelgate.model.Relation;
import dev.modelgate.model.SqlField;
import dev.modelgate.model.RelationKind;
import dev.modelgate.model.ScalarType;
import graphql.Scalars;
import graphql.scalars.ExtendedScalars;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeReference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the derived GraphQL API (docs/api.md) from the models: a pure function of the
 * {@link Models} snapshot. Beside the schema it records what each derived field is (its
 * {@link Binding}), which is all the planner needs to know about it.
 */
public final class SchemaBuilder {
    /** The derived schema and the binding of each of its generated fields, by {@link Binding#key}. */
    public record DerivedApi(GraphQLSchema schema, Map<String, Binding> bindings, Map<String, Model> fieldOwners) {
        public DerivedApi {
            bindings = Map.copyOf(bindings);
            fieldOwners = Map.copyOf(fieldOwners);
        }

        /** The binding of {@code type.field}, or null for a plain property. */
        public Binding binding(String type, String field) {
            return bindings.get(Binding.key(type, field));
        }
    }

    public static final String SORT_ORDER = "SortOrder";

    /** The directives the API carries out: GraphQL's specified ones. */
    public static final java.util.Set<String> HONOURED = java.util.Set.of("include", "skip", "deprecated", "specifiedBy", "oneOf");

    private final Models models;
    private final Map<String, Binding> bindings = new java.util.HashMap<>();
    private final Map<String, graphql.schema.GraphQLNamedType> types = new LinkedHashMap<>();
    /**
     * The types whose members are one model's fields and relations (the object, its filter, order,
     * create, update and inc inputs, its aggregate field types), by type name: recorded where each is
     * built, so that role visibility never guesses an owner from a name.
     */
    private final Map<String, Model> fieldOwners = new java.util.HashMap<>();

    private SchemaBuilder(Models models) {
        this.models = models;
    }

    /** The derived schema alone (printing, tests). */
    public static GraphQLSchema build(Models models) {
        return derive(models).schema();
    }

    public static DerivedApi derive(Models models) {
        SchemaBuilder b = new SchemaBuilder(models);
        GraphQLSchema schema = b.build();
        return new DerivedApi(Descriptions.fill(schema, b.fieldOwners), b.bindings, b.fieldOwners);
    }

    private void bind(String type, String field, Binding binding) {
        bindings.put(Binding.key(type, field), binding);
    }

    private GraphQLSchema build() {
        GraphQLObjectType.Builder query = GraphQLObjectType.newObject().name("Query");
        GraphQLObjectType.Builder mutation = GraphQLObjectType.newObject().name("Mutation");
        for (EnumDef e : models.enums()) {
            add(enumType(e));
        }
        add(sortOrder());
        boolean nodes = models.all().stream().anyMatch(Model::keyed);
        if (nodes) {
            add(nodeInterface());
            query.field(nodeField());
        }
        for (Model m : models.all()) {
            addOwned(objectType(m), m);
            addOwned(whereType(m), m);
            addOwned(orderByType(m), m);
            aggregateTypes(m);
            query.field(listField(m, null, "Query"));
            if (m.keyed()) {   // a keyless view has no lookup by key
                query.field(byIdField(m));
            }
            query.field(aggregateField(m, Inflector.aggregateField(m), null, "Query"));
            groupTypes(m);
            query.field(groupByField(m, null, "Query"));
            if (m.keyed()) {   // a cursor is a position in an order the key completes
                connectionTypes(m);
                query.field(connectionField(m, null, "Query"));
            }
            if (writable(m)) {
                mutationFields(m).forEach(mutation::field);
            }
        }
        for (SqlField f : models.sqlFields()) {
            if (f.owner().equals("Query")) {
                query.field(sqlField(f));
            } else if (f.owner().equals("Mutation")) {
                mutation.field(sqlField(f));
            }
        }
        GraphQLObjectType mutations = mutation.build();
        GraphQLObjectType queries = query.build();
        GraphQLSchema.Builder schema = GraphQLSchema.newSchema().query(queries).subscription(subscriptions(queries));
        graphql.schema.GraphQLCodeRegistry.Builder code = graphql.schema.GraphQLCodeRegistry.newCodeRegistry();
        if (nodes) {   // the executor completes every value itself; graphql-java only needs to know the interface is resolvable
            code.typeResolver(NODE, env -> {
                throw new IllegalStateException("Node values are completed by the executor");
            });
        }
        // graphql-java declares @defer (and an experimental directive) in every schema; the executor does not carry
        // them out, so introspection lists only the directives it honours
        code.systemDataFetcher(graphql.schema.FieldCoordinates.coordinates(graphql.introspection.Introspection.__Schema, graphql.introspection.Introspection.__Schema.getFieldDefinition("directives")),
                env -> ((GraphQLSchema) env.getSource()).getDirectives().stream().filter(d -> HONOURED.contains(d.getName())).toList());
        schema.codeRegistry(code.build());
        if (!mutations.getFieldDefinitions().isEmpty()) {   // every model read-only: no Mutation type
            schema.mutation(mutations);
        }
        types.values().forEach(schema::additionalType);
        return schema.build();
    }

    /**
     * Live queries: every root query field again, with the same arguments and type, bound as the
     * query field is; a subscription re-runs it and sends its result whenever that changes.
     */
    private GraphQLObjectType subscriptions(GraphQLObjectType queries) {
        GraphQLObjectType.Builder t = GraphQLObjectType.newObject().name("Subscription")
                .description("Live queries: each Query field, its result sent at once and again whenever it changes");
        for (GraphQLFieldDefinition f : queries.getFieldDefinitions()) {
            t.field(f.transform(b -> {
            }));
            Binding b = bindings.get(Binding.key("Query", f.getName()));
            if (b != null) {
                bind("Subscription", f.getName(), b);
            }
        }
        return t.build();
    }

    private void add(graphql.schema.GraphQLNamedType t) {
        types.put(t.getName(), t);
    }

    /** A type whose members are {@code owner}'s fields and relations. */
    private void addOwned(graphql.schema.GraphQLNamedType t, Model owner) {
        add(t);
        fieldOwners.put(t.getName(), owner);
    }

    // ---- output types ----

    /** Relay's global object identification: every model with a key is a {@code Node}. */
    public static final String NODE = "Node";
    public static final String NODE_ID = "nodeId";

    private static graphql.schema.GraphQLInterfaceType nodeInterface() {
        return graphql.schema.GraphQLInterfaceType.newInterface().name(NODE)
                .description("A row of any model with a key, found again by its global id (Query.node)")
                .field(GraphQLFieldDefinition.newFieldDefinition().name(NODE_ID).type(GraphQLNonNull.nonNull(Scalars.GraphQLID))
                        .description("The row's global id: opaque, stable while its key is"))
                .build();
    }

    private GraphQLFieldDefinition nodeField() {
        bind("Query", "node", new Binding.Node());
        return GraphQLFieldDefinition.newFieldDefinition().name("node")
                .description("The row a global id names, as the role may read it: null when there is none")
                .argument(arg(NODE_ID, GraphQLNonNull.nonNull(Scalars.GraphQLID), "A nodeId from any model's rows"))
                .type(GraphQLTypeReference.typeRef(NODE)).build();
    }

    private GraphQLObjectType objectType(Model m) {
        GraphQLObjectType.Builder t = GraphQLObjectType.newObject().name(m.name()).description(m.description());
        if (m.keyed()) {
            t.withInterface(GraphQLTypeReference.typeRef(NODE));
            t.field(GraphQLFieldDefinition.newFieldDefinition().name(NODE_ID).type(GraphQLNonNull.nonNull(Scalars.GraphQLID))
                    .description("The row's global id: opaque, stable while its key is"));
            bind(m.name(), NODE_ID, new Binding.NodeId(m));
        }
        for (Field f : m.fields()) {
            t.field(GraphQLFieldDefinition.newFieldDefinition().name(f.name()).description(f.description())
                    .type(f.nullable() ? out(f) : GraphQLNonNull.nonNull(out(f))));
        }
        for (Relation r : m.relations()) {
            Model target = models.target(r);
            if (r.toMany()) {
                t.field(listField(target, r, m.name()));
                t.field(aggregateField(target, Inflector.relationAggregateField(r), r, m.name()));
                t.field(groupByField(target, r, m.name()));
                if (target.keyed()) {
                    t.field(connectionField(target, r, m.name()));
                }
            } else {
                GraphQLOutputType type = GraphQLTypeReference.typeRef(target.name());
                t.field(GraphQLFieldDefinition.newFieldDefinition().name(r.name()).description(r.description())
                        .type(r.nullable() ? type : GraphQLNonNull.nonNull(type)));
                bind(m.name(), r.name(), new Binding.Related(r));
            }
        }
        models.sqlFields().stream().filter(f -> f.owner().equals(m.name())).forEach(f -> t.field(sqlField(f)));
        return t.build();
    }

    /** A field bound to a hand-written statement, with its arguments as declared. */
    private GraphQLFieldDefinition sqlField(SqlField f) {
        bind(f.owner(), f.name(), new Binding.Sql(f));
        GraphQLFieldDefinition.Builder b = GraphQLFieldDefinition.newFieldDefinition().name(f.name()).description(f.description())
                .type((GraphQLOutputType) declared(f.type()));
        for (SqlField.Arg a : f.args()) {
            b.argument(GraphQLArgument.newArgument().name(a.name()).type((GraphQLInputType) declared(a.type())));
        }
        return b.build();
    }

    private static GraphQLType declared(SqlField.TypeRef t) {
        ScalarType st = ScalarType.byGraphqlName(t.name());
        GraphQLType named = st != null ? scalar(st) : GraphQLTypeReference.typeRef(t.name());
        if (t.list()) {
            named = GraphQLList.list(t.elementNonNull() ? GraphQLNonNull.nonNull(named) : named);
        }
        return t.nonNull() ? GraphQLNonNull.nonNull(named) : named;
    }

    /** A list of {@code target} rows: a root list (relation null) or a to-many relation field. */
    private GraphQLFieldDefinition listField(Model target, Relation r, String parentType) {
        String name = r == null ? Inflector.listField(target) : r.name();
        GraphQLFieldDefinition f = GraphQLFieldDefinition.newFieldDefinition().name(name)
                .description(r == null ? "Rows of " + target.name() + (target.description() == null ? "" : ": " + target.description()) : r.description())
                .argument(arg("where", GraphQLTypeReference.typeRef(Inflector.whereType(target)), "Only rows matching this filter"))
                .argument(arg("orderBy", GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.orderByType(target)))),
                        "Sort order, one field per element; the primary key breaks ties"))
                .argument(arg("limit", Scalars.GraphQLInt, r == null ? "At most this many rows" : "At most this many rows per parent"))
                .argument(arg("offset", Scalars.GraphQLInt, r == null ? "Skip this many rows" : "Skip this many rows per parent"))
                .type(GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(target.name())))))
                .build();
        bind(parentType, name, r == null ? new Binding.Rows(target) : new Binding.Related(r));
        return f;
    }

    /** Whether a model gets mutations: not read-only, and its rows have a key. */
    private static boolean writable(Model m) {
        return !m.readOnly() && m.keyed();
    }

    private GraphQLFieldDefinition byIdField(Model m) {
        String name = Inflector.byIdField(m);
        bind("Query", name, new Binding.ByKey(m));
        return GraphQLFieldDefinition.newFieldDefinition().name(name)
                .description("One " + m.name() + " by primary key, or null")
                .arguments(keyArguments(m))
                .type(GraphQLTypeReference.typeRef(m.name())).build();
    }

    /** One required argument per key field, named by the field. */
    private List<GraphQLArgument> keyArguments(Model m) {
        return m.key().stream().map(f -> arg(f.name(), GraphQLNonNull.nonNull(in(f)), null)).toList();
    }

    private GraphQLFieldDefinition aggregateField(Model target, String name, Relation r, String parentType) {
        bind(parentType, name, r == null ? new Binding.Aggregate(target) : new Binding.RelatedAggregate(r));
        return GraphQLFieldDefinition.newFieldDefinition().name(name)
                .description("Aggregates over " + (r == null ? "rows of " + target.name() : r.name()))
                .argument(arg("where", GraphQLTypeReference.typeRef(Inflector.whereType(target)), "Only rows matching this filter"))
                .type(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.aggregateType(target)))).build();
    }

    private void aggregateTypes(Model m) {
        GraphQLObjectType.Builder agg = GraphQLObjectType.newObject().name(Inflector.aggregateType(m))
                .description("Aggregates over rows of " + m.name())
                .field(GraphQLFieldDefinition.newFieldDefinition().name("count").type(GraphQLNonNull.nonNull(Scalars.GraphQLInt)));
        for (AggregateFn fn : AggregateFn.overFields()) {
            List<Field> fields = aggregated(m, fn);
            if (fields.isEmpty()) {
                continue;
            }
            String typeName = Inflector.aggregateFieldsType(m, Inflector.upperFirst(fn.graphqlName()));
            GraphQLObjectType.Builder t = GraphQLObjectType.newObject().name(typeName);
            for (Field f : fields) {
                t.field(GraphQLFieldDefinition.newFieldDefinition().name(f.name()).type(aggregateType(fn, f)));
            }
            addOwned(t.build(), m);
            agg.field(GraphQLFieldDefinition.newFieldDefinition().name(fn.graphqlName()).type(GraphQLTypeReference.typeRef(typeName)));
        }
        add(agg.build());
    }

    // ---- connections ----

    public static final String PAGE_INFO = "PageInfo";

    /** {@code <plural>Connection} on Query (relation null) or {@code <relation>Connection} on a to-many relation. */
    private GraphQLFieldDefinition connectionField(Model target, Relation r, String parentType) {
        String name = r == null ? Inflector.connectionField(target) : Inflector.relationConnectionField(r);
        bind(parentType, name, r == null ? new Binding.Connection(target) : new Binding.RelatedConnection(r));
        return GraphQLFieldDefinition.newFieldDefinition().name(name)
                .description("Rows of " + (r == null ? target.name() : r.name()) + " a page at a time, by opaque cursors (Relay's connections)"
                        + (r == null ? "" : "; the same page arguments for every parent"))
                .argument(arg("where", GraphQLTypeReference.typeRef(Inflector.whereType(target)), "Only rows matching this filter"))
                .argument(arg("orderBy", GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.orderByType(target)))),
                        "Sort order over the model's own fields, one per element; the primary key breaks ties, in the first field's direction. A cursor pages only the order it came from"))
                .argument(arg("first", Scalars.GraphQLInt, "The first this many rows (after the cursor after)"))
                .argument(arg("after", Scalars.GraphQLString, "Rows after this cursor"))
                .argument(arg("last", Scalars.GraphQLInt, "The last this many rows (before the cursor before), in the same order as first"))
                .argument(arg("before", Scalars.GraphQLString, "Rows before this cursor"))
                .type(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.connectionType(target)))).build();
    }

    private void connectionTypes(Model m) {
        if (!types.containsKey(PAGE_INFO)) {
            add(GraphQLObjectType.newObject().name(PAGE_INFO).description("Where a page of a connection is")
                    .field(GraphQLFieldDefinition.newFieldDefinition().name("hasNextPage").type(GraphQLNonNull.nonNull(Scalars.GraphQLBoolean))
                            .description("More rows follow the page (paging backward: a before cursor was given)"))
                    .field(GraphQLFieldDefinition.newFieldDefinition().name("hasPreviousPage").type(GraphQLNonNull.nonNull(Scalars.GraphQLBoolean))
                            .description("Rows precede the page (paging forward: an after cursor was given)"))
                    .field(GraphQLFieldDefinition.newFieldDefinition().name("startCursor").type(Scalars.GraphQLString)
                            .description("The cursor of the page's first row, null for an empty page"))
                    .field(GraphQLFieldDefinition.newFieldDefinition().name("endCursor").type(Scalars.GraphQLString)
                            .description("The cursor of the page's last row, null for an empty page"))
                    .build());
        }
        GraphQLTypeReference row = GraphQLTypeReference.typeRef(m.name());
        add(GraphQLObjectType.newObject().name(Inflector.edgeType(m)).description("A " + m.name() + " in a page, with its cursor")
                .field(GraphQLFieldDefinition.newFieldDefinition().name("cursor").type(GraphQLNonNull.nonNull(Scalars.GraphQLString)))
                .field(GraphQLFieldDefinition.newFieldDefinition().name("node").type(GraphQLNonNull.nonNull(row))).build());
        add(GraphQLObjectType.newObject().name(Inflector.connectionType(m)).description("A page of " + m.name() + " rows")
                .field(GraphQLFieldDefinition.newFieldDefinition().name("edges")
                        .type(GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.edgeType(m)))))))
                .field(GraphQLFieldDefinition.newFieldDefinition().name("nodes").type(GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(row)))))
                .field(GraphQLFieldDefinition.newFieldDefinition().name("pageInfo").type(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(PAGE_INFO))))
                .field(GraphQLFieldDefinition.newFieldDefinition().name("totalCount").type(GraphQLNonNull.nonNull(Scalars.GraphQLInt))
                        .description("Every row matching where, on every page (counted only when asked for)"))
                .build());
    }

    // ---- grouping ----

    public static final String DATE_TRUNCATE = "DateTruncate";

    /** The fields rows of {@code m} can be grouped, ordered and filtered by: its comparable scalar fields. */
    private static List<Field> groupable(Model m) {
        return m.fields().stream().filter(Field::comparable).toList();
    }

    /** The Date and DateTime fields rows of {@code m} can be grouped by, truncated. */
    private static List<Field> dates(Model m) {
        return groupable(m).stream().filter(f -> f.type() == ScalarType.DATE || f.type() == ScalarType.DATE_TIME).toList();
    }

    /** The aggregates over fields that {@code fn} applies to (those of {@code <Model><Fn>Fields}). */
    private static List<Field> aggregated(Model m, AggregateFn fn) {
        return m.fields().stream().filter(f -> fn.appliesTo(f.type()) && !f.readOnly() && !f.list()).toList();
    }

    /** {@code <plural>GroupBy} on Query (relation null) or {@code <relation>GroupBy} on a to-many relation. */
    private GraphQLFieldDefinition groupByField(Model target, Relation r, String parentType) {
        String name = r == null ? Inflector.groupByField(target) : Inflector.relationGroupByField(r);
        bind(parentType, name, r == null ? new Binding.GroupBy(target) : new Binding.RelatedGroupBy(r));
        String per = r == null ? "" : " per parent";
        GraphQLFieldDefinition.Builder f = GraphQLFieldDefinition.newFieldDefinition().name(name)
                .description("Rows of " + (r == null ? target.name() : r.name()) + " grouped by the values of the fields in by, with aggregates per group")
                .argument(arg("by", GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.fieldEnum(target))))),
                        "The fields whose values make a group (at least one)"));
        if (!dates(target).isEmpty()) {
            f.argument(arg("truncate", GraphQLTypeReference.typeRef(Inflector.truncateType(target)),
                    "Group Date and DateTime fields of by by their year, month, week (from Monday), day or hour, in UTC"));
        }
        return f.argument(arg("where", GraphQLTypeReference.typeRef(Inflector.whereType(target)), "Only rows matching this filter are grouped"))
                .argument(arg("having", GraphQLTypeReference.typeRef(Inflector.havingType(target)), "Only groups whose aggregates match this filter"))
                .argument(arg("orderBy", GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.groupOrderByType(target)))),
                        "Sort order of the groups, one key field or aggregate per element; then the key fields, ascending"))
                .argument(arg("limit", Scalars.GraphQLInt, "At most this many groups" + per))
                .argument(arg("offset", Scalars.GraphQLInt, "Skip this many groups" + per))
                .type(GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.groupType(target))))))
                .build();
    }

    private void groupTypes(Model m) {
        List<Field> fields = groupable(m);
        GraphQLEnumType.Builder byEnum = GraphQLEnumType.newEnum().name(Inflector.fieldEnum(m)).description("A field of " + m.name() + " to group by");
        fields.forEach(f -> byEnum.value(f.name(), f.name()));
        if (fields.isEmpty()) {   // an enum needs a value; a model of no comparable field groups by nothing
            byEnum.value("_none", "_none", "No field of " + m.name() + " can be grouped by");
        }
        addOwned(byEnum.build(), m);
        GraphQLObjectType.Builder key = GraphQLObjectType.newObject().name(Inflector.groupKeyType(m))
                .description("The values the rows of a group share: those of the by fields; the others are null");
        fields.forEach(f -> key.field(GraphQLFieldDefinition.newFieldDefinition().name(f.name()).description(f.description()).type(out(f))));
        if (fields.isEmpty()) {
            key.field(GraphQLFieldDefinition.newFieldDefinition().name("_none").type(Scalars.GraphQLBoolean));
        }
        addOwned(key.build(), m);
        GraphQLObjectType.Builder group = GraphQLObjectType.newObject().name(Inflector.groupType(m))
                .description("One group of " + m.name() + " rows and its aggregates")
                .field(GraphQLFieldDefinition.newFieldDefinition().name("key").type(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.groupKeyType(m)))))
                .field(GraphQLFieldDefinition.newFieldDefinition().name("count").type(GraphQLNonNull.nonNull(Scalars.GraphQLInt)));
        String having = Inflector.havingType(m);
        GraphQLInputObjectType.Builder h = GraphQLInputObjectType.newInputObject().name(having)
                .description("A filter on the aggregates of a group: every entry given must match (AND)")
                .field(inputField("count", filterType(new dev.modelgate.ir.Aggregate.Term(AggregateFn.COUNT, null))));
        String groupOrder = Inflector.groupOrderByType(m);
        GraphQLInputObjectType.Builder o = GraphQLInputObjectType.newInputObject().name(groupOrder)
                .description("Set exactly one entry per element: a key field, the count, or one aggregate of one field")
                .field(inputField("key", GraphQLTypeReference.typeRef(Inflector.orderByScalarType(m))))
                .field(inputField("count", GraphQLTypeReference.typeRef(SORT_ORDER)));
        GraphQLInputObjectType.Builder scalarOrder = GraphQLInputObjectType.newInputObject().name(Inflector.orderByScalarType(m))
                .description("Set exactly one field");
        fields.forEach(f -> scalarOrder.field(inputField(f.name(), GraphQLTypeReference.typeRef(SORT_ORDER))));
        addOwned(scalarOrder.build(), m);
        for (AggregateFn fn : AggregateFn.overFields()) {
            List<Field> over = aggregated(m, fn);
            if (over.isEmpty()) {
                continue;
            }
            String fnName = Inflector.upperFirst(fn.graphqlName());
            group.field(GraphQLFieldDefinition.newFieldDefinition().name(fn.graphqlName())
                    .type(GraphQLTypeReference.typeRef(Inflector.aggregateFieldsType(m, fnName))));
            GraphQLInputObjectType.Builder hf = GraphQLInputObjectType.newInputObject().name(Inflector.havingFieldsType(m, fnName));
            GraphQLInputObjectType.Builder of = GraphQLInputObjectType.newInputObject().name(Inflector.aggregateOrderByType(m, fnName))
                    .description("Set exactly one field");
            for (Field f : over) {
                hf.field(inputField(f.name(), filterType(new dev.modelgate.ir.Aggregate.Term(fn, f))));
                of.field(inputField(f.name(), GraphQLTypeReference.typeRef(SORT_ORDER)));
            }
            addOwned(hf.build(), m);
            addOwned(of.build(), m);
            h.field(inputField(fn.graphqlName(), GraphQLTypeReference.typeRef(Inflector.havingFieldsType(m, fnName))));
            o.field(inputField(fn.graphqlName(), GraphQLTypeReference.typeRef(Inflector.aggregateOrderByType(m, fnName))));
        }
        h.field(inputField("and", GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(having)))));
        h.field(inputField("or", GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(having)))));
        h.field(inputField("not", GraphQLTypeReference.typeRef(having)));
        add(group.build());
        addOwned(h.build(), m);
        addOwned(o.build(), m);
        List<Field> dates = dates(m);
        if (!dates.isEmpty()) {
            if (!types.containsKey(DATE_TRUNCATE)) {
                GraphQLEnumType.Builder units = GraphQLEnumType.newEnum().name(DATE_TRUNCATE)
                        .description("The start of the year, month, week (from Monday), day or hour of a date, in UTC");
                for (dev.modelgate.ir.Truncation u : dev.modelgate.ir.Truncation.values()) {
                    units.value(u.name(), u.name());
                }
                add(units.build());
            }
            GraphQLInputObjectType.Builder tr = GraphQLInputObjectType.newInputObject().name(Inflector.truncateType(m))
                    .description("A truncation per Date or DateTime field of by");
            dates.forEach(f -> tr.field(inputField(f.name(), GraphQLTypeReference.typeRef(DATE_TRUNCATE))));
            addOwned(tr.build(), m);
        }
    }

    /** The result type the catalog gives (sum of Int is Long, avg is Float); min/max keep the field's type, enums included. */
    private GraphQLOutputType aggregateType(AggregateFn fn, Field f) {
        ScalarType t = fn.resultType(f.type());
        return t == f.type() ? out(f) : scalar(t);
    }

    // ---- input types ----

    private GraphQLInputObjectType whereType(Model m) {
        String name = Inflector.whereType(m);
        GraphQLInputObjectType.Builder t = GraphQLInputObjectType.newInputObject().name(name)
                .description("A filter on " + m.name() + " rows: every field given must match (AND)");
        for (Field f : m.fields()) {
            if (f.comparable()) {
                t.field(inputField(f.name(), filterType(f)));
            }
        }
        for (Relation r : m.relations()) {
            t.field(GraphQLInputObjectField.newInputObjectField().name(r.name())
                    .description(r.toMany() ? "At least one related row matches" : "The related row matches")
                    .type(GraphQLTypeReference.typeRef(Inflector.whereType(models.target(r)))));
        }
        t.field(inputField("and", GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(name)))));
        t.field(inputField("or", GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(name)))));
        t.field(inputField("not", GraphQLTypeReference.typeRef(name)));
        return t.build();
    }

    private GraphQLInputObjectType orderByType(Model m) {
        GraphQLInputObjectType.Builder t = GraphQLInputObjectType.newInputObject().name(Inflector.orderByType(m))
                .description("Set exactly one field per element");
        for (Field f : m.fields()) {
            if (f.comparable()) {
                t.field(inputField(f.name(), GraphQLTypeReference.typeRef(SORT_ORDER)));
            }
        }
        for (Relation r : m.relations()) {
            if (r.kind() == RelationKind.BELONGS_TO || r.kind() == RelationKind.HAS_ONE) {
                t.field(inputField(r.name(), GraphQLTypeReference.typeRef(Inflector.orderByType(models.target(r)))));
            }
        }
        return t.build();
    }

    /** The filter input of a field's type, created once per type. */
    private GraphQLInputType filterType(Field f) {
        return filterType(Inflector.filterType(f), f.type(), in(f));
    }

    /** The filter input of an aggregate's value: its field's filter when of the field's type (min, max), else of its own type. */
    private GraphQLInputType filterType(dev.modelgate.ir.Aggregate.Term term) {
        ScalarType t = term.resultType();
        if (term.field() != null && t == term.field().type()) {
            return filterType(term.field());
        }
        return filterType(t.graphqlName() + "Filter", t, scalar(t));
    }

    private GraphQLInputType filterType(String name, ScalarType type, GraphQLInputType value) {
        if (!types.containsKey(name)) {
            GraphQLInputObjectType.Builder t = GraphQLInputObjectType.newInputObject().name(name)
                    .description("Operators are ANDed; null operators are refused (use isNull)");
            for (FilterOp op : FilterOp.forType(type)) {
                t.field(inputField(op.graphqlName(), switch (op.operand()) {
                    case VALUE -> value;
                    case LIST -> GraphQLList.list(GraphQLNonNull.nonNull(value));
                    case FLAG -> Scalars.GraphQLBoolean;
                    case TEXT -> Scalars.GraphQLString;
                }));
            }
            add(t.build());
        }
        return GraphQLTypeReference.typeRef(name);
    }

    // ---- mutations ----

    private List<GraphQLFieldDefinition> mutationFields(Model m) {
        GraphQLTypeReference row = GraphQLTypeReference.typeRef(m.name());
        GraphQLInputType create = createInput(m, null);
        GraphQLInputType update = updateInput(m);
        GraphQLInputType inc = incInput(m);
        add(GraphQLObjectType.newObject().name(Inflector.mutationResultType(m))
                .field(GraphQLFieldDefinition.newFieldDefinition().name("affectedRows").type(GraphQLNonNull.nonNull(Scalars.GraphQLInt))
                        .description("Rows matched by where, whether or not a value changed"))
                .field(GraphQLFieldDefinition.newFieldDefinition().name("returning")
                        .type(GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(row))))).build());
        GraphQLOutputType result = GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.mutationResultType(m)));
        List<GraphQLArgument> key = keyArguments(m);
        GraphQLArgument where = arg("where", GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.whereType(m))),
                "Rows to change; {} means every row");
        List<GraphQLFieldDefinition> out = new ArrayList<>();
        out.add(mutationField(m, MutationKind.CREATE, Inflector.createField(m), GraphQLNonNull.nonNull(row),
                "Create one " + m.name(), List.of(arg("data", GraphQLNonNull.nonNull(create), null))));
        out.add(mutationField(m, MutationKind.CREATE_MANY, Inflector.createManyField(m),
                GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(row))), "Create several " + m.plural() + " at once",
                List.of(arg("data", GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(create))), null))));
        List<GraphQLArgument> changes = new ArrayList<>();
        if (update != null) {
            changes.add(arg("set", update, "Values to set; an explicit null sets NULL"));
        }
        if (inc != null) {
            changes.add(arg("inc", inc, "Amounts to add, atomically"));
        }
        List<GraphQLArgument> updateOne = new ArrayList<>(key);
        updateOne.addAll(changes);
        out.add(mutationField(m, MutationKind.UPDATE, Inflector.updateField(m), row, "Update one " + m.name() + " by key; null when there is none", updateOne));
        List<GraphQLArgument> updateMany = new ArrayList<>(List.of(where));
        updateMany.addAll(changes);
        out.add(mutationField(m, MutationKind.UPDATE_MANY, Inflector.updateManyField(m), result, "Update every " + m.name() + " matching where", updateMany));
        List<GraphQLArgument> upsert = new ArrayList<>(List.of(arg("data", GraphQLNonNull.nonNull(create), null)));
        if (update != null) {
            upsert.add(arg("update", update, "Values set when the row exists (default: the scalar fields of data)"));
        }
        out.add(mutationField(m, MutationKind.UPSERT, Inflector.upsertField(m), GraphQLNonNull.nonNull(row),
                "Insert, or update the row with the same primary key or unique field", upsert));
        out.add(mutationField(m, MutationKind.DELETE, Inflector.deleteField(m), row, "Delete one " + m.name() + " by key; null when there is none", key));
        out.add(mutationField(m, MutationKind.DELETE_MANY, Inflector.deleteManyField(m), result, "Delete every " + m.name() + " matching where", List.of(where)));
        return out;
    }

    private GraphQLFieldDefinition mutationField(Model m, MutationKind kind, String name, GraphQLOutputType type, String description,
                                                 List<GraphQLArgument> args) {
        bind("Mutation", name, new Binding.Write(m, kind));
        return GraphQLFieldDefinition.newFieldDefinition().name(name).description(description).arguments(args).type(type).build();
    }

    /** {@code <Model>CreateInput}, or, under a parent relation, the input without the key pointing back. */
    private GraphQLInputType createInput(Model m, Relation under) {
        String name = under == null ? Inflector.createInputType(m) : Inflector.createWithoutInputType(m, models.inverseName(under));
        if (types.containsKey(name)) {
            return GraphQLTypeReference.typeRef(name);
        }
        GraphQLInputObjectType.Builder t = GraphQLInputObjectType.newInputObject().name(name);
        for (Field f : m.fields()) {
            if (under != null && under.key().contains(f.name()) || f.readOnly()) {
                continue;
            }
            t.field(inputField(f.name(), f.requiredOnCreate() ? GraphQLNonNull.nonNull(in(f)) : in(f)));
        }
        types.put(name, GraphQLInputObjectType.newInputObject().name(name).build());   // placeholder against recursion
        for (Relation r : m.relations()) {
            Model target = models.target(r);
            if (!writable(target)) {
                continue;   // nothing is created in, or linked to, a read-only model
            }
            switch (r.kind()) {
                case HAS_MANY -> t.field(inputField(r.name(), GraphQLList.list(GraphQLNonNull.nonNull(createInput(target, r)))));
                case HAS_ONE -> t.field(inputField(r.name(), createInput(target, r)));
                case MANY_TO_MANY -> t.field(inputField(r.name(), linkInput(target, true)));
                case BELONGS_TO -> {
                }
            }
        }
        addOwned(t.build(), m);
        return GraphQLTypeReference.typeRef(name);
    }

    private GraphQLInputType linkInput(Model target, boolean create) {
        String name = create ? Inflector.linkCreateInputType(target) : Inflector.linkUpdateInputType(target);
        if (!types.containsKey(name)) {
            GraphQLInputType keys = GraphQLList.list(GraphQLNonNull.nonNull(keyInput(target)));
            GraphQLInputObjectType.Builder t = GraphQLInputObjectType.newInputObject().name(name).field(inputField("connect", keys));
            t.field(inputField("create", GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.createInputType(target))))));
            if (!create) {
                t.field(inputField("disconnect", keys));
                t.field(inputField("set", keys));
            }
            add(t.build());
        }
        return GraphQLTypeReference.typeRef(name);
    }

    /** A key of {@code m} as input: the key field's type, or {@code <Model>Key} with one field per key field. */
    private GraphQLInputType keyInput(Model m) {
        List<Field> key = m.key();
        if (key.size() == 1) {
            return in(key.get(0));
        }
        String name = m.name() + "Key";
        if (!types.containsKey(name)) {
            GraphQLInputObjectType.Builder t = GraphQLInputObjectType.newInputObject().name(name)
                    .description("The key of a " + m.name() + ": every field of it");
            key.forEach(f -> t.field(inputField(f.name(), GraphQLNonNull.nonNull(in(f)))));
            add(t.build());
        }
        return GraphQLTypeReference.typeRef(name);
    }

    private GraphQLInputType updateInput(Model m) {
        if (!hasUpdateInput(m)) {
            return null;
        }
        GraphQLInputObjectType.Builder t = GraphQLInputObjectType.newInputObject().name(Inflector.updateInputType(m));
        for (Field f : m.fields()) {
            if (!f.id() && !f.readOnly()) {
                t.field(inputField(f.name(), in(f)));
            }
        }
        for (Relation r : m.relations()) {
            if (!nestedUpdate(m, r)) {
                continue;
            }
            Model target = models.target(r);
            t.field(inputField(r.name(), switch (r.kind()) {
                case MANY_TO_MANY -> linkInput(target, false);
                case HAS_MANY, HAS_ONE -> childrenUpdateInput(r, target);
                case BELONGS_TO -> connectOrCreateInput(target);
            }));
        }
        addOwned(t.build(), m);
        return GraphQLTypeReference.typeRef(Inflector.updateInputType(m));
    }

    /** Whether {@code <Model>UpdateInput} exists: a field or a relation an update can change. */
    private boolean hasUpdateInput(Model m) {
        return m.fields().stream().anyMatch(f -> !f.id() && !f.readOnly()) || m.relations().stream().anyMatch(r -> nestedUpdate(m, r));
    }

    /**
     * Whether an update of {@code m} changes rows through {@code r}: the target is writable, and
     * the relation's key is the primary key on the side it refers to (as nested creates have it).
     */
    private boolean nestedUpdate(Model m, Relation r) {
        Model target = models.target(r);
        if (!writable(target)) {
            return false;
        }
        return switch (r.kind()) {
            case MANY_TO_MANY -> true;
            case HAS_MANY, HAS_ONE -> models.parentKey(r).equals(m.key());
            case BELONGS_TO -> models.targetKey(r).equals(target.key());
        };
    }

    /** What an update does to the children of a has-many or has-one relation. */
    private GraphQLInputType childrenUpdateInput(Relation r, Model child) {
        String inverse = models.inverseName(r);
        boolean many = r.kind() == RelationKind.HAS_MANY;
        String name = many ? Inflector.updateManyWithoutInputType(child, inverse) : Inflector.updateOneWithoutInputType(child, inverse);
        if (types.containsKey(name)) {
            return GraphQLTypeReference.typeRef(name);
        }
        types.put(name, GraphQLInputObjectType.newInputObject().name(name).build());   // placeholder against recursion
        GraphQLInputType create = createInput(child, r);
        GraphQLInputObjectType.Builder t = GraphQLInputObjectType.newInputObject().name(name)
                .description("Changes to the " + r.name() + " of each updated " + r.owner() + ", only ever among its own");
        boolean updatable = hasUpdateInput(child);
        if (many) {
            GraphQLInputType keys = GraphQLList.list(GraphQLNonNull.nonNull(keyInput(child)));
            t.field(inputField("create", GraphQLList.list(GraphQLNonNull.nonNull(create))));
            t.field(inputField("connect", keys));
            if (Models.fields(child, r.key()).stream().allMatch(Field::nullable)) {   // a NOT NULL key cannot be unset
                t.field(inputField("disconnect", keys));
            }
            if (updatable) {
                String each = Inflector.updateWhereInputType(child);
                if (!types.containsKey(each)) {
                    add(GraphQLInputObjectType.newInputObject().name(each).description("The rows matching where get set")
                            .field(inputField("where", GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.whereType(child)))))
                            .field(inputField("set", GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.updateInputType(child))))).build());
                }
                t.field(inputField("update", GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(each)))));
            }
            t.field(inputField("delete", GraphQLTypeReference.typeRef(Inflector.whereType(child))));
        } else {
            t.field(inputField("create", create));
            if (updatable) {
                t.field(inputField("update", GraphQLTypeReference.typeRef(Inflector.updateInputType(child))));
            }
            t.field(inputField("delete", Scalars.GraphQLBoolean));
        }
        types.put(name, t.build());
        return GraphQLTypeReference.typeRef(name);
    }

    /** The row a belongs-to relation points at after an update: an existing one, or one created. */
    private GraphQLInputType connectOrCreateInput(Model target) {
        String name = Inflector.connectOrCreateInputType(target);
        if (!types.containsKey(name)) {
            add(GraphQLInputObjectType.newInputObject().name(name).description("Give one: the key of an existing " + target.name()
                            + ", or a new one")
                    .field(inputField("connect", keyInput(target)))
                    .field(inputField("create", GraphQLTypeReference.typeRef(Inflector.createInputType(target)))).build());
            createInput(target, null);
        }
        return GraphQLTypeReference.typeRef(name);
    }

    private GraphQLInputType incInput(Model m) {
        List<Field> numeric = m.fields().stream().filter(f -> !f.id() && f.type().numeric() && !f.readOnly()).toList();
        if (numeric.isEmpty()) {
            return null;
        }
        GraphQLInputObjectType.Builder t = GraphQLInputObjectType.newInputObject().name(Inflector.incInputType(m));
        numeric.forEach(f -> t.field(inputField(f.name(), in(f))));
        addOwned(t.build(), m);
        return GraphQLTypeReference.typeRef(Inflector.incInputType(m));
    }

    // ---- leaves ----

    private static GraphQLOutputType out(Field f) {
        return (GraphQLOutputType) listOf(f, scalarOrEnum(f));
    }

    private static GraphQLInputType in(Field f) {
        return (GraphQLInputType) listOf(f, scalarOrEnum(f));
    }

    /** A list field's type: {@code [T!]} for a SET (it holds no NULL), {@code [T]} for an array. */
    private static GraphQLType listOf(Field f, GraphQLType element) {
        if (!f.list()) {
            return element;
        }
        return GraphQLList.list(f.storedAsSet() ? GraphQLNonNull.nonNull(element) : element);
    }

    private static GraphQLType scalarOrEnum(Field f) {
        if (f.type() == ScalarType.ENUM) {
            return GraphQLTypeReference.typeRef(f.enumName());
        }
        return scalar(f.type());
    }

    /** Binary data as base64 text. */
    static final GraphQLScalarType BYTES = GraphQLScalarType.newScalar().name("Bytes")
            .description("Binary data, base64-encoded (RFC 4648)")
            .specifiedByUrl("https://www.rfc-editor.org/rfc/rfc4648#section-4")
            .coercing(new graphql.schema.Coercing<byte[], String>() {
                @Override
                public String serialize(Object v, graphql.GraphQLContext c, java.util.Locale l) {
                    if (v instanceof byte[] b) {
                        return java.util.Base64.getEncoder().encodeToString(b);
                    }
                    throw new graphql.schema.CoercingSerializeException("not binary data: " + v.getClass().getSimpleName());
                }

                @Override
                public byte[] parseValue(Object v, graphql.GraphQLContext c, java.util.Locale l) {
                    return decode(v, graphql.schema.CoercingParseValueException::new);
                }

                @Override
                public byte[] parseLiteral(graphql.language.Value<?> v, graphql.execution.CoercedVariables vars,
                                           graphql.GraphQLContext c, java.util.Locale l) {
                    return decode(v instanceof graphql.language.StringValue s ? s.getValue() : v,
                            graphql.schema.CoercingParseLiteralException::new);
                }

                private byte[] decode(Object v, java.util.function.Function<String, RuntimeException> error) {
                    if (!(v instanceof String s)) {
                        throw error.apply("Bytes takes a base64 string");
                    }
                    try {
                        return java.util.Base64.getDecoder().decode(s);
                    } catch (IllegalArgumentException e) {
                        throw error.apply("not base64: " + e.getMessage());
                    }
                }
            }).build();

    static GraphQLScalarType scalar(ScalarType t) {
        return switch (t) {
            case INT -> Scalars.GraphQLInt;
            case LONG -> WireScalars.LONG;
            case FLOAT -> Scalars.GraphQLFloat;
            case BIG_DECIMAL -> WireScalars.BIG_DECIMAL;
            case STRING -> Scalars.GraphQLString;
            case BOOLEAN -> Scalars.GraphQLBoolean;
            case ID -> Scalars.GraphQLID;
            case DATE -> WireScalars.DATE;
            case DATE_TIME -> WireScalars.DATE_TIME;
            case JSON -> WireScalars.JSON;
            case LOCAL_TIME -> WireScalars.LOCAL_TIME;
            case BYTES -> BYTES;
            case ENUM -> throw new IllegalArgumentException("enums have their own types");
        };
    }

    private static GraphQLEnumType enumType(EnumDef e) {
        GraphQLEnumType.Builder t = GraphQLEnumType.newEnum().name(e.name()).description(e.description());
        e.values().forEach(v -> t.value(v, e.storedAs(v)));   // the stored text is the internal value: mapped both ways
        return t.build();
    }

    private static GraphQLEnumType sortOrder() {
        GraphQLEnumType.Builder t = GraphQLEnumType.newEnum().name(SORT_ORDER)
                .description("ASC puts NULLs last and DESC puts them first, on every database");
        for (SortOrder o : SortOrder.values()) {
            t.value(o.name(), o.name());
        }
        return t.build();
    }

    private static GraphQLArgument arg(String name, GraphQLInputType type, String description) {
        return GraphQLArgument.newArgument().name(name).type(type).description(description).build();
    }

    private static GraphQLInputObjectField inputField(String name, GraphQLInputType type) {
        return GraphQLInputObjectField.newInputObjectField().name(name).type(type).build();
    }
}
