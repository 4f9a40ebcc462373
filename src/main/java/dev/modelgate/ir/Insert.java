package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;

import java.util.List;
import java.util.Map;

/** Rows to insert into one model's table; every row sets the same fields, in the same order. */
public record Insert(Model model, List<Field> fields, List<List<Object>> rows) {
    public Insert {
        fields = List.copyOf(fields);
        rows = List.copyOf(rows);
    }

    /** One insert per distinct set of given fields, keeping each row's position. */
    public record Group(Insert insert, List<Integer> positions) {
    }

    public static List<Group> grouped(Model m, List<Map<Field, Object>> rows) {
        Map<List<Field>, List<Integer>> byShape = new java.util.LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            List<Field> shape = m.fields().stream().filter(rows.get(i)::containsKey).toList();
            byShape.computeIfAbsent(shape, k -> new java.util.ArrayList<>()).add(i);
        }
        List<Group> out = new java.util.ArrayList<>();
        byShape.forEach((shape, positions) -> {
            List<List<Object>> values = positions.stream()
                    .map(i -> shape.stream().map(rows.get(i)::get).toList()).toList();
            out.add(new Group(new Insert(m, shape, values), positions));
        });
        return out;
    }
}
