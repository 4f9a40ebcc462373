package dev.modelgate.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelParserTest {

    static Models parse(String sdl) {
        return ModelParser.parse(List.of(new ModelParser.Source("schema/world.graphqls", sdl)));
    }

    static List<String> problems(String sdl) {
        ModelException e = assertThrows(ModelException.class, () -> parse(sdl));
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void readsTheDemoModels() {
        Models m = ModelParser.parse(Path.of("schema"));
        Model city = m.get("City");
        assertEquals("cities", city.table());
        assertEquals("cities", city.plural());
        assertEquals("A city in a state", city.description());
        Field stateId = city.requireField("stateId");
        assertEquals("state_id", stateId.column());
        assertEquals(ScalarType.INT, stateId.type());
        assertFalse(stateId.nullable());
        Field id = city.singleKey();
        assertTrue(id.generated());
        assertEquals(128, city.requireField("name").length());
        Relation visitors = city.relation("visitors").orElseThrow();
        assertEquals(RelationKind.MANY_TO_MANY, visitors.kind());
        assertEquals("user_visits", visitors.joinTable());
        assertEquals(java.util.List.of("city_id"), visitors.joinKey());
        assertEquals(java.util.List.of("user_id"), visitors.joinOtherKey());
        Model user = m.get("User");
        assertEquals(ScalarType.ENUM, user.requireField("role").type());
        assertEquals("Role", user.requireField("role").enumName());
        assertEquals("MEMBER", user.requireField("role").defaultValue());
        assertFalse(user.requireField("role").requiredOnCreate());
        assertTrue(user.requireField("username").unique());
        assertEquals(RelationKind.HAS_ONE, user.relation("profile").orElseThrow().kind());
        assertEquals("TEXT", m.get("Profile").requireField("bio").sqlType());
        assertEquals(List.of("MEMBER", "ADMIN"), m.enums().iterator().next().values());
    }

    @Test
    void defaultsForTablePluralAndColumns() {
        Models m = parse("""
                type Person @model { id: ID! @id(generated: false)  firstName: String  homeCity: String @column(name: "city") }
                type OrderLine @model(plural: "lines") { id: Long! @id  price: BigDecimal @column(precision: 10, scale: 2) @index }
                type Sheep @model { id: Int! @id }
                """);
        Model p = m.get("Person");
        assertEquals("people", p.table());
        assertEquals("people", p.plural());
        assertFalse(p.singleKey().generated());
        assertEquals("first_name", p.requireField("firstName").column());
        assertEquals("city", p.requireField("homeCity").column());
        Model line = m.get("OrderLine");
        assertEquals("order_lines", line.table());
        assertEquals("lines", line.plural());
        assertEquals(10, line.requireField("price").precision());
        assertTrue(line.requireField("price").indexed());
        assertEquals("sheepList", m.get("Sheep").plural());
    }

    @Test
    void theContractsExampleError() {
        List<String> p = problems("""
                type State @model(table: "states") { id: Int! @id }
                type City @model(table: "cities") {
                  id: Int! @id
                  stateID: Int!
                  state: State! @belongsTo(key: "stateId")
                }
                """);
        assertEquals(List.of("schema/world.graphqls:5:3: City.state: @belongsTo key \"stateId\" is not a field of City"), p);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<String> p = problems("""
                type A @model {
                  name: String
                  b: B @hasOne(key: "aId")
                }
                type B @model { id: Int! @id  x: Strin }
                """);
        assertEquals(3, p.size(), p::toString);
        assertTrue(p.get(0).startsWith("schema/world.graphqls:1:1: A: a model needs an @id field (several for a composite key); only a readOnly model (a view) may have none"), p.get(0));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("schema/world.graphqls:5:34: B.x: unknown type Strin")), p::toString);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("schema/world.graphqls:3:3: A.b: @hasOne key \"aId\" is not a field of B")), p::toString);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "type A @model { id: Int! @id  b: Int @hasMany(key: \"x\") }                          | A.b: @hasMany needs a model type, but Int is not a model",
            "type A @model { id: Int! @id  b: A }                                                 | A.b: a field of model type A needs exactly one of @belongsTo, @hasMany, @hasOne, @manyToMany",
            "type A @model { id: Int! @id  b: [A!]! @belongsTo(key: \"id\") }                     | A.b: @belongsTo needs a single A, not a list",
            "type A @model { id: Int! @id  b: A @hasMany(key: \"id\") }                           | A.b: @hasMany needs a list type [A!]!",
            "type A @model { id: Int! @id  bs: [A!]! @hasMany(key: \"parentId\") }                | A.bs: @hasMany key \"parentId\" is not a field of A",
            "type A @model { id: Int! @id  pid: String  p: A @belongsTo(key: \"pid\") }           | A.p: key A.pid is String but it holds A.id, which is Int",
            "type A @model { id: Int! @id  bs: [A!]! @manyToMany(table: \"x\", key: \"a\") }       | A.bs: @manyToMany needs otherKey: \"...\"",
            "type A @model { id: Int! @id  n: Int @column(length: -1) }                           | A.n: @column length must be positive",
            "type A @model { id: Int! @id  n: Int @column(size: 3) }                              | A.n: @column has no argument size",
            "type A @model { id: Int! @id  n: Int @default(value: \"x\") }                         | A.n: @default value \"x\" is not a Int literal",
            "type A @model { id: Int! @id  n: Boolean @default(value: \"yes\") }                   | A.n: @default value \"yes\" is not true or false",
            "type A @model { id: Int! @id  n: [Int] }                                             | A.n: a list of scalars needs the type of its column, a MySQL SET or an array: @column(type: \"SET(...)\") or @column(type: \"TEXT[]\"); else use JSON or a related model",
            "type A @model { id: Int! @id  n: Int @cached }                                       | A.n: unknown field directive @cached",
            "type A { id: Int! }                                                                  | A: an object type needs @model(table: ...) to be a model",
            "type A @model { id: Int! @id  a: Int  a: Int }                                       | A.a: declared twice",
            "type A @model { id: Int! @id } type B @model(table: \"as\") { id: Int! @id }         | B: table as is also the table of A",
            "type A @model { id: Int! @id  b: String @column(name: \"id\") }                      | A.b: column id is used by another field",
            "input X { a: Int } type A @model { id: Int! @id }                                    | InputObjectType definitions are not supported in model files (models are object types with @model; enums are allowed)",
            "type Query @model { id: Int! @id }                                                   | Query: is a root type name and cannot be a model",
            "type A @model @allow(read: {}) { id: Int! @id }                                      | A: @allow needs role: \"...\"",
            "type A @model @allow(role: \"u\", read: {nope: {eq: 1}}) { id: Int! @id }            | A: @allow(role: \"u\") read.nope: nope is not a field of A",
            "type A @model @allow(role: \"u\", read: {id: {like: \"1\"}}) { id: Int! @id }         | A: @allow(role: \"u\") read.id.like: like is not an operator for Int fields",
            "type A @model @allow(role: \"u\", update: {id: {eq: \"x\"}}) { id: Int! @id }         | A: @allow(role: \"u\") update.id.eq: \"x\" is not a Int",
            "type A @model @allow(role: \"u\", delete: {id: {eq: null}}) { id: Int! @id }          | A: @allow(role: \"u\") delete.id.eq: null is not a value here (use isNull)",
            "type A @model @allow(role: \"u\", read: true) { id: Int! @id }                       | A: @allow(role: \"u\") read: expects a filter like {authorId: {eq: \"$session.userId\"}}, or {} for every row",
            "type A @model @allow(role: \"u\", fields: [\"id\", \"x\"]) { id: Int! @id }          | A: @allow(role: \"u\") fields: \"x\" is not a field of A",
            "type A @model @allow(role: \"u\", write: {}) { id: Int! @id }                        | A: @allow has no argument write (it takes role, read, create, update, delete, fields)",
            "type A @model @allow(role: \"u\", read: {}) @allow(role: \"u\", read: {}) { id: Int! @id } | A: @allow for role \"u\" is given twice; give one per role",
    })
    void eachKindOfBadDefinition(String sdl, String message) {
        List<String> p = problems(sdl);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("schema/world.graphqls:") && s.endsWith(": " + message)), () -> p.toString());
    }

    @Test
    void permissionsAreReadWithSessionVariablesAndRelations() {
        Models m = parse("""
                type A @model
                  @allow(role: "user", read: {or: [{owner: {eq: "$session.userId"}}, {b: {open: {eq: true}}}]}, fields: ["id", "b"])
                  @allow(role: "anonymous", read: {}) {
                  id: Int! @id
                  owner: String
                  bId: Int
                  b: B @belongsTo(key: "bId")
                }
                type B @model { id: Int! @id  open: Boolean! }
                """);
        assertEquals(2, m.allows().size());
        var user = m.allows().get(0);
        assertEquals("user", user.role());
        assertEquals(List.of("id", "b"), user.fields());
        assertEquals(Map.of("or", List.of(Map.of("owner", Map.of("eq", "$session.userId")), Map.of("b", Map.of("open", Map.of("eq", true))))), user.read());
        assertNull(user.create());
        assertEquals(Map.of(), m.allows().get(1).read());
        assertTrue(user.shows("b"));
        assertFalse(user.shows("owner"));
        List<String> p = problems("type A @model @allow(role: \"u\", read: {x: {eq: 1}}) { id: Int! @id }");
        assertTrue(p.get(0).startsWith("schema/world.graphqls:1:"), p.get(0));
    }

    @Test
    void syntaxErrorsNameFileLineAndColumn() {
        List<String> p = problems("type A @model {\n  id: Int! @id\n  name String\n}");
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("schema/world.graphqls:3:"), p.get(0));
        assertTrue(p.get(0).contains("syntax error"), p.get(0));
    }

    @Test
    void noModelsAtAll() {
        assertEquals(List.of("no model types (types with @model) in the schema files"), problems("enum E { A }"));
    }

    @Test
    void descriptionsAndNullability() {
        Models m = parse("\"the a\" type A @model { id: Int! @id \"its name\" name: String  bId: Int  b: A @belongsTo(key: \"bId\") }");
        Model a = m.get("A");
        assertEquals("the a", a.description());
        assertEquals("its name", a.requireField("name").description());
        assertTrue(a.requireField("name").nullable());
        assertTrue(a.relation("b").orElseThrow().nullable());
        assertNull(a.requireField("name").defaultValue());
    }

    @Test
    void aMissingClosingBraceIsReportedWhereTheBlockOpened() {
        List<String> p = problems("""
                type State @model(table: "states") {
                  id: Int! @id
                  "a description with { in it"
                  name: String!

                type City @model(table: "cities") {
                  id: Int! @id
                }
                """);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).matches("[^:]*:1:36: type State: the \\{ opened here is not closed before line 6 \\(type City.*\\); add the missing }"), p.get(0));
    }

    @Test
    void anUnknownTypeSuggestsTheClosestAndListsEveryScalar() {
        List<String> p = problems("""
                type State @model(table: "states") {
                  id: Int! @id
                  name: Strng!
                  opens: Localtime
                }
                """);
        assertTrue(p.get(0).contains("State.name: unknown type Strng; did you mean String?"), p.get(0));
        assertTrue(p.get(0).contains("LocalTime") && p.get(0).contains("Bytes"), p.get(0));
        assertTrue(p.get(1).contains("State.opens: unknown type Localtime; did you mean LocalTime?"), p.get(1));
    }
}
