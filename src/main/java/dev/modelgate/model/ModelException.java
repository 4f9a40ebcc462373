package dev.modelgate.model;

import java.util.List;
import java.util.stream.Collectors;

/** Model definitions that cannot be used; carries every problem found, each with its location. */
public class ModelException extends RuntimeException {
    private final List<Problem> problems;

    public ModelException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
