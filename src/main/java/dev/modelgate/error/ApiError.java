package dev.modelgate.error;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.language.SourceLocation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A GraphQL error as clients see it: message, locations, path and our extensions only. */
public record ApiError(String message, List<SourceLocation> locations, List<Object> path, Map<String, Object> extensions)
        implements GraphQLError {

    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public List<SourceLocation> getLocations() {
        return locations;
    }

    @Override
    public List<Object> getPath() {
        return path;
    }

    @Override
    public Map<String, Object> getExtensions() {
        return extensions;
    }

    @Override
    public ErrorClassification getErrorType() {
        return ErrorType.DataFetchingException;
    }

    @Override
    public Map<String, Object> toSpecification() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", message);
        if (locations != null && !locations.isEmpty()) {
            out.put("locations", locations.stream().map(l -> Map.of("line", l.getLine(), "column", l.getColumn())).toList());
        }
        if (path != null && !path.isEmpty()) {
            out.put("path", path);
        }
        out.put("extensions", extensions);
        return out;
    }
}
