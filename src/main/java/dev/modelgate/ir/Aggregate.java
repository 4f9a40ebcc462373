package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.Model;

import java.util.List;

/** Aggregates over the rows of one model matching {@code where}, grouped per parent when partitioned. */
public record Aggregate(Model model, BoolExp where, List<Term> terms, Partition partition) {

    public enum Fn { COUNT, SUM, AVG, MIN, MAX }

    /** One aggregate; {@code field} is null for COUNT(*). */
    public record Term(Fn fn, Field field) {
    }

    public Aggregate {
        terms = List.copyOf(terms);
    }
}
