package dev.modelgate.ir;

import dev.modelgate.error.GatewayException;
import dev.modelgate.model.Model;
import graphql.language.Argument;
import graphql.language.Node;
import graphql.language.VariableReference;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one field: their values (coerced, variables substituted), the arguments as
 * written (to see which variables a filter uses) and the request's variables.
 */
record FieldArgs(Map<String, Object> values, List<Argument> ast, Map<String, Object> variables) {
    @SuppressWarnings("unchecked")
    <T> T get(String name) {
        return (T) values.get(name);
    }

    /** The {@code where} argument as IR, relations seen as the role may read them. */
    BoolExp where(ArgumentReader reader, Model m, Access access) {
        requireProvidedVariables("where");
        return reader.where(m, get("where"), access);
    }

    /**
     * A variable inside an argument that the request did not provide is an error, not a
     * silently dropped condition: a missing variable must never widen a filter.
     */
    private void requireProvidedVariables(String argument) {
        for (Argument arg : ast) {
            if (arg.getName().equals(argument)) {
                for (String v : variablesIn(arg.getValue())) {
                    if (!variables.containsKey(v)) {
                        throw GatewayException.badInput(argument + " uses variable $" + v + ", which was not provided");
                    }
                }
            }
        }
    }

    private static Set<String> variablesIn(Node<?> node) {
        Set<String> out = new LinkedHashSet<>();
        if (node instanceof VariableReference v) {
            out.add(v.getName());
        }
        for (Node<?> child : node.getChildren()) {
            out.addAll(variablesIn(child));
        }
        return out;
    }
}
