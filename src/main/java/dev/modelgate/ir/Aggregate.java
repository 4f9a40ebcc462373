package dev.modelgate.ir;

import dev.modelgate.model.AggregateFn;
import dev.modelgate.model.Field;
import dev.modelgate.model.Model;

import java.util.List;

/** Aggregates over the rows of one model matching {@code where}, grouped per parent when partitioned. */
public record Aggregate(Model model, BoolExp where, List<Term> terms, Partition partition) {

    /** One aggregate; {@code field} is null for COUNT(*). */
    public record Term(AggregateFn fn, Field field) {
        /** The type of the term's value. */
        public dev.modelgate.model.ScalarType resultType() {
            return fn.resultType(field == null ? dev.modelgate.model.ScalarType.INT : field.type());
        }
    }

    public Aggregate {
        terms = List.copyOf(terms);
    }
}
