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
        return new DerivedApi(b.build(), b.bindings, b.fieldOwners);
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
        GraphQLSchema.Builder schema = GraphQLSchema.newSchema().query(query.build());
        if (nodes) {   // the executor completes every value itself; graphql-java only needs to know the interface is resolvable
            schema.codeRegistry(graphql.schema.GraphQLCodeRegistry.newCodeRegistry().typeResolver(NODE, env -> {
                throw new IllegalStateException("Node values are completed by the executor");
            }).build());
        }
        if (!mutations.getFieldDefinitions().isEmpty()) {   // every model read-only: no Mutation type
            schema.mutation(mutations);
        }
        types.values().forEach(schema::additionalType);
        return schema.build();
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
            List<Field> fields = m.fields().stream().filter(f -> fn.appliesTo(f.type()) && !f.readOnly() && !f.list()).toList();
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
        String name = Inflector.filterType(f);
        if (!types.containsKey(name)) {
            GraphQLInputType value = in(f);
            GraphQLInputObjectType.Builder t = GraphQLInputObjectType.newInputObject().name(name)
                    .description("Operators are ANDed; null operators are refused (use isNull)");
            for (FilterOp op : FilterOp.forType(f.type())) {
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
            if (create) {
                t.field(inputField("create", GraphQLList.list(GraphQLNonNull.nonNull(GraphQLTypeReference.typeRef(Inflector.createInputType(target))))));
            } else {
                t.field(inputField("disconnect", keys));
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
        GraphQLInputObjectType.Builder t = GraphQLInputObjectType.newInputObject().name(Inflector.updateInputType(m));
        int n = 0;
        for (Field f : m.fields()) {
            if (!f.id() && !f.readOnly()) {
                t.field(inputField(f.name(), in(f)));
                n++;
            }
        }
        for (Relation r : m.relations()) {
            if (r.kind() == RelationKind.MANY_TO_MANY && writable(models.target(r))) {
                t.field(inputField(r.name(), linkInput(models.target(r), false)));
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        addOwned(t.build(), m);
        return GraphQLTypeReference.typeRef(Inflector.updateInputType(m));
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
            case LONG -> ExtendedScalars.GraphQLLong;
            case FLOAT -> Scalars.GraphQLFloat;
            case BIG_DECIMAL -> ExtendedScalars.GraphQLBigDecimal;
            case STRING -> Scalars.GraphQLString;
            case BOOLEAN -> Scalars.GraphQLBoolean;
            case ID -> Scalars.GraphQLID;
            case DATE -> ExtendedScalars.Date;
            case DATE_TIME -> ExtendedScalars.DateTime;
            case JSON -> ExtendedScalars.Json;
            case LOCAL_TIME -> ExtendedScalars.LocalTime;
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
