package dev.modelgate.exec;

import dev.modelgate.db.SchemaSetup;

import dev.modelgate.model.ModelException;
import dev.modelgate.model.ModelParser;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.modelgate.support.Fixture.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written SQL bound with @sql: the demo's mappers/World.xml, on every database. */
@ParameterizedClass
@EnumSource(TestDb.class)
class SqlFieldTest {
    @Parameter
    TestDb db;
    Fixture f;

    @BeforeEach
    void load() {
        f = Fixture.on(db, ModelParser.parse(Path.of("schema")), Path.of("mappers"));
        SchemaSetup.seed(f.db, Path.of("schema/seed.sql"));
        SchemaSetup.restartIdentities(f.db, f.models);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aBatchComputedFieldIsOneStatementForAWholeLevel() {
        List<String> sql = f.statements(() -> assertJson("{\"states\": ["
                        + "{\"name\": \"Arizona\", \"cityCount\": 2, \"citiesAggregate\": {\"count\": 2}},"
                        + " {\"name\": \"California\", \"cityCount\": 5, \"citiesAggregate\": {\"count\": 5}},"
                        + " {\"name\": \"Nevada\", \"cityCount\": 4, \"citiesAggregate\": {\"count\": 4}},"
                        + " {\"name\": \"New York\", \"cityCount\": 1, \"citiesAggregate\": {\"count\": 1}},"
                        + " {\"name\": \"Texas\", \"cityCount\": 3, \"citiesAggregate\": {\"count\": 3}}]}",
                f.data("{ states(orderBy: [{name: ASC}]) { name cityCount citiesAggregate { count } } }")));
        assertEquals(3, sql.size(), sql.toString());   // states, cityCount for all of them, the aggregate
        f.sql("INSERT INTO states (id, name) VALUES (99, 'Empty')");
        assertJson("{\"state\": {\"cityCount\": 0}}", f.data("{ state(id: 99) { cityCount } }"));
    }

    @Test
    void aStatementReturningModelRowsFeedsTheirRelationshipsThroughDataLoader() {
        List<String> sql = f.statements(() -> assertJson("{\"citiesByPrefix\": ["
                        + "{\"name\": \"San Francisco\", \"state\": {\"name\": \"California\"}},"
                        + " {\"name\": \"San Jose\", \"state\": {\"name\": \"California\"}}]}",
                f.data("query($p: String!) { citiesByPrefix(prefix: $p) { name state { name } } }", Map.of("p", "San"))));
        assertEquals(2, sql.size(), sql.toString());
        assertJson("{\"searchStates\": [{\"name\": \"Nevada\", \"cityCount\": 4}]}",
                f.data("{ searchStates(text: \"RENO\") { name cityCount } }"));
        assertJson("{\"citiesByPrefix\": []}", f.data("{ citiesByPrefix(prefix: \"x'); DROP TABLE cities; --\") { name } }"));
        assertJson("{\"citiesAggregate\": {\"count\": 15}}", f.data("{ citiesAggregate { count } }"));
    }

    @Test
    void aMutationStatementRunsInTheOperationsTransaction() {
        assertJson("{\"renameState\": 1}", f.data("mutation { renameState(id: 1, name: \"Golden State\") }"));
        assertJson("{\"state\": {\"name\": \"Golden State\"}}", f.data("{ state(id: 1) { name } }"));
        Map<String, Object> failed = f.run("mutation { renameState(id: 1, name: \"Renamed\") createCity(data: {name: \"Nowhere\", stateId: 999}) { id } }");
        assertEquals(null, failed.get("data"));
        assertEquals("CONSTRAINT_VIOLATION", ((Map<?, ?>) ((Map<?, ?>) ((List<?>) failed.get("errors")).get(0)).get("extensions")).get("code"));
        assertJson("{\"state\": {\"name\": \"Golden State\"}}", f.data("{ state(id: 1) { name } }"));
    }

    @Test
    void aMissingStatementStopsTheStartNamingFieldAndId(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Other.xml"), Files.readString(Path.of("mappers/World.xml")).replace("id=\"cityCount\"", "id=\"cityTotal\""));
        ModelException e = assertThrows(ModelException.class, () -> Fixture.on(db, ModelParser.parse(Path.of("schema")), dir).close());
        assertTrue(e.getMessage().contains("queries.graphqls:") && e.getMessage().contains("State.cityCount: @sql statement \"World.cityCount\" is not in the mapper files"),
                e.getMessage());
    }

    @Test
    void aBrokenMapperFileIsNamedWithItsLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Broken.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE mapper PUBLIC \"-//mybatis.org//DTD Mapper 3.0//EN\" \"https://mybatis.org/dtd/mybatis-3-mapper.dtd\">\n"
                + "<mapper namespace=\"World\">\n  <select id=\"x\">SELECT 1</selec>\n</mapper>\n");
        ModelException e = assertThrows(ModelException.class, () -> Fixture.on(db, ModelParser.parse(Path.of("schema")), dir).close());
        assertTrue(e.getMessage().contains("Broken.xml:4:"), e.getMessage());
    }
}
