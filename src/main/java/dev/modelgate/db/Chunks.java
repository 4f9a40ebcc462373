package dev.modelgate.db;

import java.util.ArrayList;
import java.util.List;

/** Splits lists that would exceed a statement's parameter limit. */
public final class Chunks {
    private Chunks() {
    }

    /** Consecutive slices of at most {@code size} elements (one slice when the list fits). */
    public static <T> List<List<T>> of(List<T> items, int size) {
        int n = Math.max(1, size);
        if (items.size() <= n) {
            return List.of(items);
        }
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += n) {
            out.add(items.subList(i, Math.min(items.size(), i + n)));
        }
        return out;
    }
}
