package dev.modelgate.api;

import dev.modelgate.exec.Gateway;
import dev.modelgate.model.ModelParser;
import dev.modelgate.support.Library;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLSchema;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The derived API's shape: the demo's SDL as a golden file, and the filter inputs per type. */
class DerivedSchemaTest {

    @Test
    void demoSchemaMatchesTheGoldenFile() throws Exception {
        String sdl = Gateway.printSchema(SchemaBuilder.build(ModelParser.parse(Path.of("schema"))));
        String golden = Files.readString(Path.of("src/test/resources/golden/demo.graphql"));
        // To accept an intended change: java -jar target/modelgate.jar print-schema > src/test/resources/golden/demo.graphql
        assertEquals(golden, sdl);
    }

    static List<String> inputFields(GraphQLSchema s, String type) {
        return ((GraphQLInputObjectType) s.getType(type)).getFieldDefinitions().stream().map(GraphQLInputObjectField::getName).toList();
    }

    @Test
    void filterInputsPerFieldType() {
        GraphQLSchema s = SchemaBuilder.build(ModelParser.parse(List.of(new ModelParser.Source("l.graphqls", Library.sdl()))));
        assertEquals(List.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "notIn", "isNull", "like", "notLike", "ilike", "startsWith", "endsWith", "contains"),
                inputFields(s, "StringFilter"));
        assertEquals(List.of("eq", "ne", "isNull"), inputFields(s, "BooleanFilter"));
        assertEquals(List.of("eq", "ne", "in", "notIn", "isNull"), inputFields(s, "GenreFilter"));
        assertEquals(List.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "notIn", "isNull"), inputFields(s, "BigDecimalFilter"));
        assertEquals(List.of("id", "title", "genre", "pages", "price", "published", "inPrint", "authorId", "author", "tags", "and", "or", "not"),
                inputFields(s, "BookWhere"));
        assertEquals(List.of("id", "title", "genre", "pages", "price", "published", "inPrint", "authorId", "author"),
                inputFields(s, "BookOrderBy"));
        assertEquals(List.of("ASC", "DESC", "ASC_NULLS_FIRST", "ASC_NULLS_LAST", "DESC_NULLS_FIRST", "DESC_NULLS_LAST"),
                ((graphql.schema.GraphQLEnumType) s.getType("SortOrder")).getValues().stream().map(v -> v.getName()).toList());
        assertEquals("[Book!]!", s.getQueryType().getFieldDefinition("books").getType().toString().replace("NonNull", ""));
    }
}
