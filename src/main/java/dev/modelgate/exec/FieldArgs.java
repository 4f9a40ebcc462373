package dev.modelgate.exec;

import graphql.language.Argument;
import graphql.schema.DataFetchingEnvironment;

import java.util.List;
import java.util.Map;

/**
 * The arguments of one field of the document: their values (coerced, variables substituted),
 * the AST (to see which variables a filter uses) and the request's variables. The same for a
 * field run by graphql-java and by {@link LevelExecution}.
 */
record FieldArgs(Map<String, Object> values, List<Argument> ast, Map<String, Object> variables) {
    static FieldArgs of(DataFetchingEnvironment env) {
        return new FieldArgs(env.getArguments(), env.getField().getArguments(), env.getVariables());
    }

    @SuppressWarnings("unchecked")
    <T> T get(String name) {
        return (T) values.get(name);
    }
}
