package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;

import java.util.List;

/** Rows to insert into one model's table; every row sets the same fields, in the same order. */
public record Insert(Model model, List<Field> fields, List<List<Object>> rows) {
    public Insert {
        fields = List.copyOf(fields);
        rows = List.copyOf(rows);
    }
}
