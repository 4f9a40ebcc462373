package dev.modelgate.model;

import graphql.language.SourceLocation;

/** One thing wrong in the model definitions, with where it is. */
public record Problem(String source, int line, int column, String message) {

    public static Problem at(SourceLocation loc, String message) {
        if (loc == null) {
            return new Problem(null, 0, 0, message);
        }
        return new Problem(loc.getSourceName(), loc.getLine(), loc.getColumn(), message);
    }

    @Override
    public String toString() {
        if (source == null) {
            return message;
        }
        return line == 0 ? source + ": " + message : source + ":" + line + ":" + column + ": " + message;
    }
}
