package dev.modelgate.ir;

import dev.modelgate.api.SchemaBuilder;
import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;
import dev.modelgate.model.FilterOp;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.support.Library;
import dev.modelgate.support.Plans;
import graphql.execution.CoercedVariables;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.parser.Parser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planner's output, read as data: what each operation becomes before any SQL runs. No database. */
class PlannerTest {
    static final String POSTS = """
            type Post @model(table: "posts")
              @allow(role: "user", read: {authorId: {eq: "$session.userId"}}, update: {authorId: {eq: "$session.userId"}}) {
              id: Int! @id
              title: String! @column(length: 20)
              authorId: Int!
            }
            """;

    final Plans library = new Plans(ModelParser.parse(List.of(new ModelParser.Source("library.graphqls", Library.sdl()))), 100);
    final Plans posts = new Plans(ModelParser.parse(List.of(new ModelParser.Source("posts.graphqls", POSTS))), 100);

    @Test
    void aQueryIsATreeOfReadsWithTheirArguments() {
        List<FieldPlan> plan = library.plan("{ books(where: {title: {startsWith: \"The\"}}, orderBy: [{pages: DESC}], limit: 5) { id author { name } tagsAggregate { count } } }");
        FieldPlan.Rows books = assertInstanceOf(FieldPlan.Rows.class, plan.get(0));
        assertEquals(5L, books.select().limit());
        assertEquals(new BoolExp.Compare(library.models.get("Book").requireField("title"), FilterOp.STARTS_WITH, "The"), books.select().where());
        assertEquals(SortOrder.DESC, books.select().orderBy().get(0).order());
        assertInstanceOf(FieldPlan.Property.class, books.children().get(0));
        FieldPlan.Related author = assertInstanceOf(FieldPlan.Related.class, books.children().get(1));
        assertEquals("authorId", author.parentKey().get(0).name(), "an author level is keyed by the books' authorId");
        assertNull(author.select().limit(), "a relationship level has no row cap of its own");
        FieldPlan.RelatedAggregates tags = assertInstanceOf(FieldPlan.RelatedAggregates.class, books.children().get(2));
        assertEquals("COUNT", tags.aggregate().terms().get(0).fn().name());
    }

    @Test
    void aReadSelectsOnlyTheColumnsItsRowsAreAskedFor() {
        FieldPlan.Rows books = (FieldPlan.Rows) library.plan("{ books { title author { name } tagsAggregate { count } } }").get(0);
        assertEquals(List.of("id", "title", "authorId"), names(books.select()),
                "the key, the selected field and the key the author level is matched by, in the model's order");
        FieldPlan.Related author = (FieldPlan.Related) books.children().get(1);
        assertEquals(List.of("id", "name"), names(author.select()));
        FieldPlan.Rows one = (FieldPlan.Rows) library.plan("{ author(id: 1) { books { pages } } }").get(0);
        assertEquals(List.of("id"), names(one.select()), "an author's books are matched by the author's key");
        FieldPlan.Rows typename = (FieldPlan.Rows) library.plan("{ books { __typename } }").get(0);
        assertEquals(List.of("id"), names(typename.select()));
    }

    private static List<String> names(Select s) {
        return s.columns().stream().map(dev.modelgate.model.Field::name).toList();
    }

    @Test
    void aRootListWithoutLimitGetsTheRowCap() {
        FieldPlan.Rows books = (FieldPlan.Rows) library.plan("{ books { id } }").get(0);
        assertEquals(100L, books.select().limit());
    }

    @Test
    void theRolesReadFilterIsInsideEveryRead() {
        FieldPlan.Rows p = (FieldPlan.Rows) posts.plan("{ posts(where: {title: {eq: \"a\"}}) { id } }", Map.of(), "user", Map.of("userId", "7")).get(0);
        var authorId = posts.models.get("Post").requireField("authorId");
        BoolExp.And where = assertInstanceOf(BoolExp.And.class, p.select().where());
        assertTrue(where.items().contains(new BoolExp.Compare(authorId, FilterOp.EQ, 7)), "the session's userId, typed as the field: " + where);
    }

    @Test
    void argumentsThatDoNotPlanBecomeFailedFieldsWithTheirCode() {
        FieldPlan.Rows authors = (FieldPlan.Rows) library.plan("{ authors { books(limit: -1) { id } } }").get(0);
        FieldPlan.Failed books = assertInstanceOf(FieldPlan.Failed.class, authors.children().get(0));
        assertEquals(ErrorCode.BAD_USER_INPUT, books.error().code());
        FieldPlan.Failed tooMany = (FieldPlan.Failed) library.plan("{ books(limit: 101) { id } }").get(0);
        assertEquals(ErrorCode.QUERY_TOO_COMPLEX, tooMany.error().code());
        FieldPlan.Failed forbidden = (FieldPlan.Failed) posts.plan("mutation { deletePost(id: 1) { id } }", Map.of(), "user", Map.of("userId", "7")).get(0);
        assertEquals(ErrorCode.FORBIDDEN, forbidden.error().code());
        FieldPlan.Failed tooLong = (FieldPlan.Failed) posts.plan("mutation { createPost(data: {title: \"123456789012345678901\", authorId: 1}) { id } }").get(0);
        assertEquals(ErrorCode.BAD_USER_INPUT, tooLong.error().code(), "a value longer than its column is refused while planning");
    }

    @Test
    void aNestedCreateIsAWriteTreeInInputOrder() {
        FieldPlan.Write w = (FieldPlan.Write) library.plan("mutation { createAuthors(data: ["
                + "{name: \"A\", books: [{title: \"a1\"}, {title: \"a2\", tags: {connect: [1], create: [{label: \"new\"}]}}]},"
                + "{name: \"B\"}, {name: \"C\", books: [{title: \"c1\"}]}]) { id } }").get(0);
        WritePlan.Create create = assertInstanceOf(WritePlan.Create.class, w.write());
        assertTrue(create.many());
        WritePlan.CreateRows authors = create.rows();
        assertEquals(List.of("A", "B", "C"), authors.rows().stream().map(r -> r.get(authors.model().requireField("name"))).toList());
        WritePlan.Children books = (WritePlan.Children) authors.nested().stream().filter(n -> n.relation().name().equals("books")).findFirst().orElseThrow();
        assertEquals(List.of(0, 0, 2), books.parents(), "a1 and a2 belong to A, c1 to C");
        WritePlan.Links tags = (WritePlan.Links) books.rows().nested().get(0);
        assertEquals(List.of(new WritePlan.Link(1, 1)), tags.connect(), "the second book links tag 1");
        assertEquals(List.of(1), tags.createdParents());
        assertEquals(1, tags.created().rows().size());
    }

    @Test
    void anUpdateCarriesItsFiltersAndChanges() {
        FieldPlan.Write w = (FieldPlan.Write) posts.plan("mutation { updatePosts(where: {title: {eq: \"x\"}}, set: {title: \"y\"}) { affectedRows } }",
                Map.of(), "user", Map.of("userId", "7")).get(0);
        WritePlan.Update u = assertInstanceOf(WritePlan.Update.class, w.write());
        var authorId = posts.models.get("Post").requireField("authorId");
        assertEquals(new BoolExp.Compare(authorId, FilterOp.EQ, 7), u.check(), "the new state must stay the role's to update");
        assertTrue(((BoolExp.And) u.where()).items().contains(u.check()), "only the role's rows are matched");
        assertEquals("y", u.changes().values().get(posts.models.get("Post").requireField("title")));
        assertNull(u.key());
    }

    @Test
    void oneShapeBindsEachRequestsVariables() {
        String q = "query($n: Int) { books(limit: $n) { id } }";
        assertEquals(2L, ((FieldPlan.Rows) library.plan(q, Map.of("n", 2), "admin", Map.of()).get(0)).select().limit());
        assertEquals(3L, ((FieldPlan.Rows) library.plan(q, Map.of("n", 3), "admin", Map.of()).get(0)).select().limit());
    }

    @Test
    void aFieldWithNoBindingCannotBePlanned() {
        Models models = library.models;
        SchemaBuilder.DerivedApi api = SchemaBuilder.derive(models);
        Planner unbound = new Planner(new SchemaBuilder.DerivedApi(api.schema(), Map.of(), Map.of()), models, 100);
        var op = ExecutableNormalizedOperationFactory.createExecutableNormalizedOperation(api.schema(),
                Parser.parse("{ books { id } }"), null, CoercedVariables.emptyVariables());
        GatewayException e = assertThrows(GatewayException.class, () -> unbound.shape(op, api.schema()));
        assertEquals(ErrorCode.INTERNAL_SERVER_ERROR, e.code());
        assertEquals("the field books cannot be planned", e.getMessage());
    }
}
