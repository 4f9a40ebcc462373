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

    @AfterParameterizedClassInvocation
    void close() {
        if (f != null) {
            f.close();
            f = null;
        }
    }
}
