package dev.modelgate.ir;

import dev.modelgate.model.Model;

import java.util.List;

/** Rows of one model. {@code partition} may be null (a root list); limit/offset may be null. */
public record Select(Model model, BoolExp where, List<OrderTerm> orderBy, Long limit, Long offset, Partition partition) {
    public Select {
        orderBy = List.copyOf(orderBy);
    }
}
