package dev.modelgate.error;

/** The stable codes of docs/errors.md, carried in {@code extensions.code}. */
public enum ErrorCode {
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    BAD_USER_INPUT,
    CONSTRAINT_VIOLATION,
    UNAUTHENTICATED,
    FORBIDDEN,
    QUERY_TOO_COMPLEX,
    TIMEOUT,
    DATABASE_UNAVAILABLE,
    /** A deadlock or serialization failure persisted through the operation's retries; nothing was applied. */
    CONFLICT,
    /** Every database connection stayed busy past the wait limit (HTTP 503 with Retry-After). */
    OVERLOADED,
    INTERNAL_SERVER_ERROR,
    /** A persisted query's hash (or a documentId) the server does not know: send the query with its hash once. */
    PERSISTED_QUERY_NOT_FOUND,
    /** The role's request rate ({@code limits.rate}) was exceeded (HTTP 429 with Retry-After). */
    RATE_LIMITED
}
