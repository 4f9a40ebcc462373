package dev.modelgate.ir;

import dev.modelgate.model.Model;

import java.util.List;

/**
 * A page of a cursor connection: how many rows ({@code size}), read forward or from the end
 * ({@code backward}, for {@code last}), whether a cursor bounded it on either side, and the
 * order its cursors are made in: the {@code orderBy} terms and then the key, each once
 * ({@code signature} names that order, so that a cursor of another order is refused).
 */
public record Page(Model model, List<OrderTerm> order, long size, boolean backward, boolean after, boolean before, String signature) {
    public Page {
        order = List.copyOf(order);
    }
}
