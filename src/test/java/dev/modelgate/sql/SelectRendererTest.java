package dev.modelgate.sql;

import dev.modelgate.ir.BoolExp;
import dev.modelgate.ir.Partition;
import dev.modelgate.ir.Select;
import dev.modelgate.model.Model;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Details of the rendered SELECTs that the golden files do not show one by one. */
class SelectRendererTest {
    @Test
    void inListSizesArePowersOfTwoUpToTheParameterCap() {
        assertEquals(List.of(0, 1, 2, 4, 4, 8, 8, 8, 8, 16, 1024), List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1000).stream()
                .map(n -> SelectRenderer.paddedSize(n, 5000)).toList());
        assertEquals(900, SelectRenderer.paddedSize(900, 899), "no padding past the cap");
        assertEquals(900, SelectRenderer.paddedSize(900, 1000), "no padding that would pass the cap");
    }

    @Test
    void aBatchOfAnySizeSharesTheStatementTextOfItsSizeClass() {
        Models models = ModelParser.parse(Path.of("schema"));
        Model city = models.get("City");
        var hasCities = models.get("State").relations().stream().filter(x -> x.name().equals("cities")).findFirst().orElseThrow();
        for (String dialect : List.of("sqlite", "mysql", "postgresql", "h2")) {
            SelectRenderer r = new SelectRenderer(models, Dialects.byName(dialect));
            Fragment five = r.select(new Select(city, BoolExp.TRUE, List.of(), null, null, new Partition(hasCities, List.of(1, 2, 3, 4, 5))));
            Fragment seven = r.select(new Select(city, BoolExp.TRUE, List.of(), null, null, new Partition(hasCities, List.of(9, 8, 7, 6, 5, 4, 3))));
            assertEquals(five.sql(), seven.sql(), dialect);
            assertEquals(List.of(1, 2, 3, 4, 5, 5, 5, 5), five.params(), dialect + ": the last key fills the extra slots");
            assertTrue(five.sql().contains("IN (?, ?, ?, ?, ?, ?, ?, ?)"), five.sql());
        }
    }
}
