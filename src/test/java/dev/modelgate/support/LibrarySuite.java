package dev.modelgate.support;

import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

/**
 * Base of the read-only contract suites: subclasses are {@code @ParameterizedClass} over
 * {@link TestDb} with a per-class lifecycle, and share one loaded library per database.
 */
public abstract class LibrarySuite {
    @Parameter
    protected TestDb db;
    protected Fixture f;

    @BeforeParameterizedClassInvocation
    void load() {
        f = Library.on(db);
    }

    /** The ids a list field returns for the given arguments, in order. */
    protected java.util.List<Integer> ids(String listField, String args) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        f.data("{ " + listField + "(" + args + ") { id } }").get(listField).forEach(r -> out.add(r.get("id").asInt()));
        return out;
    }

    @AfterParameterizedClassInvocation
    void close() {
        if (f != null) {
            f.close();
            f = null;
        }
    }
}
