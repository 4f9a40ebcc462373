package dev.modelgate.db;

/**
 * A stored value that its field cannot carry (a 64-bit number in an Int field, a text that is no
 * date), kept in its row's cell in place of the value: the response puts an error at that field's
 * path and serves the rest of the row and the list. {@code reason} says what to change.
 */
public record Unreadable(String field, String reason) {
}
