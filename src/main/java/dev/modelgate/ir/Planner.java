package dev.modelgate.ir;

import dev.modelgate.api.Binding;
import dev.modelgate.api.MutationKind;
import dev.modelgate.api.SchemaBuilder.DerivedApi;
import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;
import dev.modelgate.model.AggregateFn;
import dev.modelgate.model.Field;
import dev.modelgate.model.FilterOp;
import dev.modelgate.model.Model;
import dev.modelgate.model.Models;
import graphql.execution.MergedField;
import graphql.language.Argument;
import graphql.language.SourceLocation;
import graphql.normalized.ExecutableNormalizedField;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans an operation in two steps. {@link #shape} reads graphql-java's normalized operation
 * (fragments merged, {@code @skip}/{@code @include} applied) into a {@link Shape}: which field
 * is what, with its arguments as written; it is built once per document, operation and role.
 * {@link #bind} then reads one request's argument values and the role's {@link Access} into a
 * tree of {@link FieldPlan}s: all IR, every argument checked, before any SQL runs. A field whose
 * arguments do not plan becomes {@link FieldPlan.Failed}: an error, never a silent other path.
 */
public final class Planner {
    private final DerivedApi api;
    private final Models models;
    private final ArgumentReader args;
    private final WritePlanner writes;
    private final int maxRows;

    public Planner(DerivedApi api, Models models, int maxRows) {
        this.api = api;
        this.models = models;
        this.args = new ArgumentReader(models);
        this.writes = new WritePlanner(models, args);
        this.maxRows = maxRows;
    }

    /** An operation's fields as written: what each is, its arguments as in the document, the fields below. */
    public record Shape(FieldPlan.Out out, Binding binding, Kind kind, GraphQLFieldDefinition definition,
                        List<Argument> arguments, List<Shape> children, Map<String, List<Shape>> byType) {
        public Shape {
            arguments = List.copyOf(arguments);
            children = List.copyOf(children);
            byType = Map.copyOf(byType);
        }

        public Shape(FieldPlan.Out out, Binding binding, Kind kind, GraphQLFieldDefinition definition,
                     List<Argument> arguments, List<Shape> children) {
            this(out, binding, kind, definition, arguments, children, Map.of());
        }
    }

    /** What a field of a shape is, besides a bound field. */
    public enum Kind { BOUND, PROPERTY, TYPENAME, INTROSPECTION }

    /** The values of a request's arguments, resolved with its variables (graphql-java's coercion). */
    public interface Arguments {
        Map<String, Object> values(GraphQLFieldDefinition definition, List<Argument> arguments);

        /** The request's variables, to tell a variable that was not provided. */
        Map<String, Object> variables();
    }

    // ---- shape: once per document, operation and role ----

    /** The shape of a normalized operation on the role's schema; throws when the document has a field no stage serves. */
    public List<Shape> shape(ExecutableNormalizedOperation operation, GraphQLSchema schema) {
        List<Shape> roots = new ArrayList<>();
        for (ExecutableNormalizedField f : operation.getTopLevelFields()) {
            roots.add(shape(f, operation, schema, true));
        }
        return roots;
    }

    private Shape shape(ExecutableNormalizedField f, ExecutableNormalizedOperation op, GraphQLSchema schema, boolean root) {
        if (f.getObjectTypeNames().size() != 1) {
            throw unplannable(f, "a field of several object types outside an abstract field");
        }
        return shape(f, op, schema, root, f.getSingleObjectTypeName());
    }

    /** The shape of {@code f} as a field of {@code typeName} (one of its object types). */
    private Shape shape(ExecutableNormalizedField f, ExecutableNormalizedOperation op, GraphQLSchema schema, boolean root, String typeName) {
        if (!f.getDeferredExecutions().isEmpty()) {
            throw unplannable(f, "deferred selections are not supported");
        }
        MergedField merged = op.getMergedField(f);
        SourceLocation location = merged == null ? null : merged.getSingleField().getSourceLocation();
        if (f.getName().equals("__typename")) {
            return new Shape(new FieldPlan.Out(f.getResultKey(), f.getName(), typeName,
                    GraphQLNonNull.nonNull(graphql.Scalars.GraphQLString), location), null, Kind.TYPENAME, null, List.of(), List.of());
        }
        if (f.getName().startsWith("__")) {
            if (!root) {
                throw unplannable(f, "introspection below the root");
            }
            return new Shape(new FieldPlan.Out(f.getResultKey(), f.getName(), typeName, null, location), null,
                    Kind.INTROSPECTION, null, List.of(), List.of());
        }
        GraphQLObjectType owner = schema.getObjectType(typeName);
        GraphQLFieldDefinition def = owner == null ? null
                : schema.getCodeRegistry().getFieldVisibility().getFieldDefinition(owner, f.getName());
        if (def == null) {
            throw unplannable(f, "no field " + typeName + "." + f.getName());
        }
        FieldPlan.Out out = new FieldPlan.Out(f.getResultKey(), f.getName(), typeName, def.getType(), location);
        Binding binding = api.binding(typeName, f.getName());
        if (binding == null && root) {
            throw unplannable(f, "root field " + typeName + "." + f.getName() + " has no binding");
        }
        Kind kind = binding == null ? Kind.PROPERTY : Kind.BOUND;
        if (graphql.schema.GraphQLTypeUtil.unwrapAll(def.getType()) instanceof graphql.schema.GraphQLInterfaceType) {
            // an abstract field (Query.node): its selection shaped once per object type it may be, chosen when bound
            Map<String, List<Shape>> byType = new java.util.LinkedHashMap<>();
            for (ExecutableNormalizedField c : f.getChildren()) {
                for (String type : c.getObjectTypeNames()) {
                    byType.computeIfAbsent(type, k -> new ArrayList<>()).add(shape(c, op, schema, false, type));
                }
            }
            return new Shape(out, binding, kind, def, f.getAstArguments(), List.of(), byType);
        }
        List<Shape> children = new ArrayList<>();
        for (ExecutableNormalizedField c : f.getChildren()) {
            children.add(shape(c, op, schema, false));
        }
        return new Shape(out, binding, kind, def, f.getAstArguments(), children);
    }

    private static GatewayException unplannable(ExecutableNormalizedField f, String why) {
        return new GatewayException(ErrorCode.INTERNAL_SERVER_ERROR, "the field " + f.getName() + " cannot be planned",
                new IllegalStateException(why));
    }

    // ---- bind: per request ----

    /** The plan of a shaped operation for one request: its argument values and its role's access. */
    public List<FieldPlan> bind(List<Shape> roots, Arguments arguments, Access access) {
        List<FieldPlan> out = new ArrayList<>(roots.size());
        for (Shape s : roots) {
            out.add(bind(s, arguments, access));
        }
        return out;
    }

    private FieldPlan bind(Shape s, Arguments a, Access access) {
        switch (s.kind()) {
            case TYPENAME:
                return new FieldPlan.Typename(s.out());
            case INTROSPECTION:
                return new FieldPlan.Introspection(s.out());
            case PROPERTY:
                return new FieldPlan.Property(s.out(), children(s, a, access));
            default:
                break;
        }
        try {
            Map<String, Object> values = s.arguments().isEmpty() ? Map.of() : a.values(s.definition(), s.arguments());
            refuseNul(values, s.out().name());
            FieldArgs f = new FieldArgs(values, s.arguments(), a.variables());
            if (s.binding() instanceof Binding.Node) {
                return node(s, f, a, access);
            }
            return bound(s, f, access, children(s, a, access));
        } catch (GatewayException e) {
            return new FieldPlan.Failed(s.out(), e);
        } catch (RuntimeException e) {   // a value graphql-java could not coerce, a shape the binding does not fit
            return new FieldPlan.Failed(s.out(), new GatewayException(ErrorCode.INTERNAL_SERVER_ERROR, "internal server error", e));
        }
    }

    /**
     * A string with the NUL character is refused before any SQL, on every database alike
     * (PostgreSQL cannot store it, the others would store it): anywhere in an argument's value.
     */
    private static void refuseNul(Object value, String at) {
        if (value instanceof String str) {
            if (str.indexOf('\u0000') >= 0) {
                throw GatewayException.badInput(at + ": a string contains the NUL character (\\u0000), which is not stored");
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                refuseNul(e.getValue(), at + "." + e.getKey());
            }
        } else if (value instanceof java.util.Collection<?> list) {
            for (Object item : list) {
                refuseNul(item, at);
            }
        }
    }

    private List<FieldPlan> children(Shape s, Arguments a, Access access) {
        if (s.children().isEmpty()) {
            return List.of();
        }
        List<FieldPlan> out = new ArrayList<>(s.children().size());
        for (Shape c : s.children()) {
            out.add(bind(c, a, access));
        }
        return out;
    }

    /**
     * {@code node(nodeId:)}: the id names a model and its key; the plan is that model's lookup by
     * key with the selection made for that type, under the role's read filter. An id of no model,
     * or of a model the role may not read, finds nothing; one that is not an id is BAD_USER_INPUT.
     */
    private FieldPlan node(Shape s, FieldArgs f, Arguments a, Access access) {
        Object raw = f.get(dev.modelgate.api.SchemaBuilder.NODE_ID);
        String id = String.valueOf(raw);
        dev.modelgate.model.NodeIds.Decoded d;
        try {
            d = dev.modelgate.model.NodeIds.decode(id);
        } catch (IllegalArgumentException e) {
            throw GatewayException.badInput("nodeId: " + id + " is not a node id (give a nodeId the API returned)");
        }
        Model m = models.find(d.type()).filter(Model::keyed).orElse(null);
        if (m == null || d.key().size() != m.key().size()) {
            return new FieldPlan.Rows(s.out(), new Select(models.all().stream().filter(Model::keyed).findFirst().orElseThrow(),
                    BoolExp.FALSE, List.of(), 1L, null, null), true, List.of());
        }
        List<BoolExp> eq = new ArrayList<>();
        for (int i = 0; i < m.key().size(); i++) {
            Field k = m.key().get(i);
            Object v;
            try {
                v = k.type().valueOf(d.key().get(i));
            } catch (IllegalArgumentException e) {
                throw GatewayException.badInput("nodeId: " + id + " is not a node id (its key does not fit " + m.name() + ")");
            }
            eq.add(new BoolExp.Compare(k, FilterOp.EQ, v));
        }
        List<FieldPlan> children = new ArrayList<>();
        for (Shape c : s.byType().getOrDefault(m.name(), List.of())) {
            children.add(bind(c, a, access));
        }
        Select select = new Select(m, BoolExp.and(BoolExp.and(eq), access.readOrNothing(m)), List.of(), 1L, null, null);
        return new FieldPlan.Rows(s.out(), reading(select, children), true, children);
    }

    private FieldPlan bound(Shape s, FieldArgs a, Access access, List<FieldPlan> children) {
        FieldPlan.Out out = s.out();
        Binding b = s.binding();
        if (b instanceof Binding.NodeId n) {
            return new FieldPlan.NodeId(out, n.model());
        }
        if (b instanceof Binding.Rows r) {
            return new FieldPlan.Rows(out, reading(select(access, r.model(), a, true), children), false, children);
        }
        if (b instanceof Binding.ByKey k) {
            return new FieldPlan.Rows(out, reading(byKey(access, k.model(), a), children), true, children);
        }
        if (b instanceof Binding.Aggregate g) {
            return new FieldPlan.Aggregates(out, aggregate(access, g.model(), a, s), children);
        }
        if (b instanceof Binding.Related r) {
            return new FieldPlan.Related(out, r.relation(), models.parentKey(r.relation()),
                    reading(select(access, models.target(r.relation()), a, false), children), children);
        }
        if (b instanceof Binding.RelatedAggregate r) {
            return new FieldPlan.RelatedAggregates(out, r.relation(), models.parentKey(r.relation()),
                    aggregate(access, models.target(r.relation()), a, s), children);
        }
        if (b instanceof Binding.GroupBy g) {
            return new FieldPlan.Groups(out, group(access, g.model(), a, s, true), children);
        }
        if (b instanceof Binding.RelatedGroupBy r) {
            return new FieldPlan.RelatedGroups(out, r.relation(), models.parentKey(r.relation()),
                    group(access, models.target(r.relation()), a, s, false), children);
        }
        if (b instanceof Binding.Connection c) {
            return connection(out, c.model(), null, a, access, children);
        }
        if (b instanceof Binding.RelatedConnection r) {
            return connection(out, models.target(r.relation()), r.relation(), a, access, children);
        }
        if (b instanceof Binding.Write w) {
            // the rows written are read back with the columns the response needs: those of the row's fields,
            // or of {affectedRows, returning {…}}'s returning
            boolean result = w.kind() == MutationKind.UPDATE_MANY || w.kind() == MutationKind.DELETE_MANY;
            List<FieldPlan> rowFields = !result ? children : children.stream().filter(c -> c.out().name().equals("returning"))
                    .findFirst().map(FieldPlan::children).orElse(List.of());
            return new FieldPlan.Write(out, writes.plan(w.model(), w.kind(), a, access), columns(w.model(), rowFields), children);
        }
        if (b instanceof Binding.Sql q) {
            return sql(out, q, a, access, children);
        }
        throw new IllegalStateException("no plan for the binding " + b + " of " + out.parentType() + "." + out.name());
    }

    private FieldPlan sql(FieldPlan.Out out, Binding.Sql q, FieldArgs a, Access access, List<FieldPlan> children) {
        var f = q.field();
        if (!access.unrestricted()) {
            // hand-written SQL carries no row filters, so once permissions exist only admin runs it
            throw new GatewayException(ErrorCode.FORBIDDEN, "role " + access.role() + " may not use " + f.owner() + "." + f.name()
                    + " (hand-written SQL is for admin once permissions are declared)");
        }
        List<Field> parentKey = f.onRoot() ? null : models.get(f.owner()).key();
        return new FieldPlan.Sql(out, f, a.values(), parentKey, children);
    }

    // ---- reads: arguments → IR ----

    /** A list's {@code limit}: at most the row cap; a root list without one gets the cap. */
    private Long limit(FieldArgs a, boolean root) {
        Long limit = args.nonNegative("limit", a.get("limit"));
        if (limit != null) {
            withinRowCap("limit", limit);
        }
        return limit == null && root ? Long.valueOf(maxRows) : limit;
    }

    /** QUERY_TOO_COMPLEX when {@code argument} asks for more rows than {@code limits.maxRows}. */
    private void withinRowCap(String argument, long rows) {
        if (rows > maxRows) {
            throw new GatewayException(ErrorCode.QUERY_TOO_COMPLEX, argument + " " + rows + " is above the maximum of "
                    + maxRows + " rows per list (limits.maxRows)");
        }
    }

    /** A list's IR: the client's where ANDed with the role's read filter; a root list without limit gets the row cap. */
    private Select select(Access access, Model m, FieldArgs a, boolean root) {
        Long limit = limit(a, root);
        return new Select(m, readable(access, m, a), args.orderBy(m, a.get("orderBy")),
                limit, args.nonNegative("offset", a.get("offset")), null);
    }

    /**
     * The select reading only the columns its rows are asked for: the selected fields, the keys
     * the level below is matched by, and the primary key.
     */
    private static Select reading(Select s, List<FieldPlan> children) {
        return s.reading(columns(s.model(), children));
    }

    /** The key of {@code m} and the columns its rows need for {@code children}. */
    private static List<Field> columns(Model m, List<FieldPlan> children) {
        Set<Field> fields = new HashSet<>(m.key());
        for (FieldPlan c : children) {
            fields.addAll(c.accept(new ColumnsRead(m)));
        }
        return m.fields().stream().filter(fields::contains).toList();
    }

    /** The columns of a row that a field below it needs: its own column, or the keys the level below is matched by. */
    private record ColumnsRead(Model m) implements FieldPlan.Visitor<List<Field>> {
        public List<Field> property(FieldPlan.Property p) {
            return m.field(p.out().name()).map(List::of).orElse(List.of());
        }

        public List<Field> related(FieldPlan.Related r) {
            return r.parentKey();
        }

        public List<Field> nodeId(FieldPlan.NodeId n) {
            return n.model().key();
        }

        public List<Field> relatedAggregates(FieldPlan.RelatedAggregates r) {
            return r.parentKey();
        }

        public List<Field> relatedGroups(FieldPlan.RelatedGroups g) {
            return g.parentKey();
        }

        public List<Field> relatedConnection(FieldPlan.RelatedConnection c) {
            return c.parentKey();
        }

        public List<Field> connection(FieldPlan.Connection c) {
            return List.of();
        }

        public List<Field> groups(FieldPlan.Groups g) {
            return List.of();
        }

        public List<Field> sql(FieldPlan.Sql q) {
            return q.parentKey() == null ? List.of() : q.parentKey();
        }

        // no column of the row: the type's name, an error, graphql-java's, and root fields (never below a row)
        public List<Field> typename(FieldPlan.Typename t) {
            return List.of();
        }

        public List<Field> failed(FieldPlan.Failed f) {
            return List.of();
        }

        public List<Field> introspection(FieldPlan.Introspection i) {
            return List.of();
        }

        public List<Field> rows(FieldPlan.Rows r) {
            return List.of();
        }

        public List<Field> aggregates(FieldPlan.Aggregates a) {
            return List.of();
        }

        public List<Field> write(FieldPlan.Write w) {
            return List.of();
        }
    }

    /** The row of {@code m} with the key in the arguments, as far as the role may read it. */
    private Select byKey(Access access, Model m, FieldArgs a) {
        BoolExp where = BoolExp.and(keyArgument(m, a), access.read(m));
        return new Select(m, where, List.of(), 1L, null, null);
    }

    /** The row a by-key field's arguments name: one argument per key field. */
    static BoolExp keyArgument(Model m, FieldArgs a) {
        List<BoolExp> eq = new ArrayList<>();
        for (Field f : m.key()) {
            eq.add(new BoolExp.Compare(f, FilterOp.EQ, a.get(f.name())));
        }
        return BoolExp.and(eq);
    }

    /** The key value a by-key field's arguments name ({@link dev.modelgate.model.Keys}). */
    static Object keyValue(Model m, FieldArgs a) {
        return dev.modelgate.model.Keys.of(a.values(), m.key());
    }

    /**
     * A page of a connection: the rows the role may read, after the cursor {@code after} and
     * before {@code before} in the order {@code orderBy} completed by the key, the first
     * {@code first} (or the last {@code last}: the order reversed, read back in the forward
     * order), one more read to tell whether another page follows; the count of every matching
     * row only when {@code totalCount} is selected.
     */
    private FieldPlan connection(FieldPlan.Out out, Model m, dev.modelgate.model.Relation r, FieldArgs a, Access access,
                                 List<FieldPlan> children) {
        Long first = args.nonNegative("first", a.get("first"));
        Long last = args.nonNegative("last", a.get("last"));
        if (first != null && last != null) {
            throw GatewayException.badInput("first and last are both given; page forward with first (and after) or backward with last (and before)");
        }
        long size = first != null ? first : last != null ? last : maxRows;
        withinRowCap(first != null ? "first" : "last", size);
        List<OrderTerm> order = new ArrayList<>();
        for (OrderTerm t : args.orderBy(m, a.get("orderBy"))) {
            if (!t.path().isEmpty()) {
                throw GatewayException.badInput("orderBy: a connection orders by " + m.name() + "'s own fields, not by "
                        + t.path().get(0).name() + "; order the list field instead, or order by a field of " + m.name());
            }
            if (order.stream().noneMatch(o -> o.field().equals(t.field()))) {
                order.add(t);
            }
        }
        // the key breaks ties in the direction of the first term, so that one index read in one direction serves the page
        SortOrder tie = !order.isEmpty() && order.get(0).order().descending() ? SortOrder.DESC : SortOrder.ASC;
        for (Field k : m.key()) {
            if (order.stream().noneMatch(o -> o.field().equals(k))) {
                order.add(new OrderTerm(List.of(), k, tie));
            }
        }
        String signature = Cursors.signature(m, order);
        BoolExp readable = readable(access, m, a);
        List<BoolExp> where = new ArrayList<>(List.of(readable));
        Object after = a.get("after");
        Object before = a.get("before");
        if (after != null) {
            where.add(Cursors.after(order, Cursors.decode(after.toString(), "after", signature, order)));
        }
        if (before != null) {
            List<OrderTerm> back = Cursors.reversed(order);
            where.add(Cursors.after(back, Cursors.decode(before.toString(), "before", signature, order)));
        }
        boolean backward = last != null;
        List<FieldPlan> rowFields = new ArrayList<>();
        boolean total = false;
        for (FieldPlan c : children) {
            switch (c.out().name()) {
                case "nodes" -> rowFields.addAll(c.children());
                case "edges" -> c.children().stream().filter(e -> e.out().name().equals("node")).forEach(e -> rowFields.addAll(e.children()));
                case "totalCount" -> total = true;
                default -> {
                }
            }
        }
        Set<Field> columns = new HashSet<>(columns(m, rowFields));
        order.forEach(o -> columns.add(o.field()));
        Select select = new Select(m, BoolExp.and(where), backward ? Cursors.reversed(order) : order, size + 1, null, null).reading(columns);
        Aggregate count = total ? new Aggregate(m, readable, List.of(new Aggregate.Term(AggregateFn.COUNT, null)), null) : null;
        Page page = new Page(m, order, size, backward, after != null, before != null, signature);
        return r == null ? new FieldPlan.Connection(out, page, select, count, children)
                : new FieldPlan.RelatedConnection(out, r, models.parentKey(r), page, select, count, children);
    }

    /**
     * Groups of the rows the role may read: by the fields in {@code by} (truncated as
     * {@code truncate} says), with the aggregates the selection asks for, kept by {@code having},
     * ordered and paged; a root grouping without limit gets the row cap.
     */
    @SuppressWarnings("unchecked")
    private Group group(Access access, Model m, FieldArgs a, Shape s, boolean root) {
        List<Group.Key> by = new ArrayList<>();
        Map<String, Object> truncate = a.get("truncate") == null ? Map.of() : (Map<String, Object>) a.get("truncate");
        for (Object name : (List<Object>) a.get("by")) {
            Field f = m.field(String.valueOf(name)).orElseThrow(() -> GatewayException.badInput("by: " + name + " is not a field of " + m.name()));
            Object unit = truncate.get(f.name());
            Group.Key k = new Group.Key(f, unit == null ? null : Truncation.valueOf(unit.toString()));
            if (by.stream().noneMatch(x -> x.field().equals(f))) {
                by.add(k);
            }
        }
        if (by.isEmpty()) {
            throw GatewayException.badInput("by is empty; name at least one field to group by (for totals over every row, use "
                    + dev.modelgate.model.Inflector.aggregateField(m) + ")");
        }
        for (Map.Entry<String, Object> t : truncate.entrySet()) {
            if (t.getValue() == null) {
                throw GatewayException.badInput("truncate." + t.getKey() + " is null; leave it out to group by the whole value");
            }
            if (by.stream().noneMatch(k -> k.field().name().equals(t.getKey()))) {
                throw GatewayException.badInput("truncate." + t.getKey() + ": " + t.getKey() + " is not in by; add it to by to group by its "
                        + t.getValue().toString().toLowerCase());
            }
        }
        Long limit = limit(a, root);
        return new Group(m, readable(access, m, a), by, terms(m, s), args.having(m, a.get("having")),
                args.groupOrder(m, a.get("orderBy"), by), limit, args.nonNegative("offset", a.get("offset")), null);
    }

    /** Aggregates over the rows the role may read: the terms the selection asks for (count, sum { x }, …). */
    private Aggregate aggregate(Access access, Model m, FieldArgs a, Shape s) {
        List<Aggregate.Term> terms = new ArrayList<>(terms(m, s));
        if (terms.isEmpty()) {
            terms.add(new Aggregate.Term(AggregateFn.COUNT, null));
        }
        return new Aggregate(m, readable(access, m, a), terms, null);
    }

    /** The aggregates a selection asks for: count, and each field of sum { x }, avg { … }, … */
    private static List<Aggregate.Term> terms(Model m, Shape s) {
        Set<Aggregate.Term> terms = new LinkedHashSet<>();
        for (Shape c : s.children()) {
            AggregateFn.byName(c.out().name()).ifPresent(fn -> {
                if (fn == AggregateFn.COUNT) {
                    terms.add(new Aggregate.Term(fn, null));
                } else {
                    c.children().forEach(g -> m.field(g.out().name()).ifPresent(field -> terms.add(new Aggregate.Term(fn, field))));
                }
            });
        }
        return List.copyOf(terms);
    }

    /** The client's where, ANDed with the rows the role may read. */
    private BoolExp readable(Access access, Model m, FieldArgs a) {
        return BoolExp.and(a.where(args, m, access), access.read(m));
    }
}
