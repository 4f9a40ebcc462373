package dev.modelgate.ir;

import dev.modelgate.model.Field;
import dev.modelgate.model.FilterOp;
import dev.modelgate.model.Relation;

import java.util.ArrayList;
import java.util.List;

/** A row filter over one model. Values are GraphQL-level Java values; the SQL layer binds them. */
public sealed interface BoolExp {

    BoolExp TRUE = new Const(true);
    BoolExp FALSE = new Const(false);

    record And(List<BoolExp> items) implements BoolExp {
        public And {
            items = List.copyOf(items);
        }
    }

    record Or(List<BoolExp> items) implements BoolExp {
        public Or {
            items = List.copyOf(items);
        }
    }

    record Not(BoolExp item) implements BoolExp {
    }

    /** {@code field op value} for an operator that takes one value or a pattern ({@link FilterOp.Operand#VALUE}, {@code TEXT}). */
    record Compare(Field field, FilterOp op, Object value) implements BoolExp {
    }

    record In(Field field, List<Object> values, boolean negated) implements BoolExp {
        public In {
            values = List.copyOf(values);
        }
    }

    record IsNull(Field field, boolean isNull) implements BoolExp {
    }

    /** Some related row (through {@code relation}) matches {@code where}. */
    record Related(Relation relation, BoolExp where) implements BoolExp {
    }

    record Const(boolean value) implements BoolExp {
    }

    /** AND of the given filters, dropping TRUE and collapsing trivial cases. */
    static BoolExp and(List<BoolExp> items) {
        List<BoolExp> kept = new ArrayList<>();
        for (BoolExp e : items) {
            if (e == null || TRUE.equals(e)) {
                continue;
            }
            if (FALSE.equals(e)) {
                return FALSE;
            }
            kept.add(e);
        }
        if (kept.isEmpty()) {
            return TRUE;
        }
        return kept.size() == 1 ? kept.get(0) : new And(kept);
    }

    static BoolExp and(BoolExp a, BoolExp b) {
        return and(java.util.Arrays.asList(a, b));
    }
}
