package dev.modelgate.model;

/**
 * {@code @renamedFrom(name:)}: the model's table ({@code field} null) or the field's column was
 * called {@code from} before, so a migration renames instead of dropping and adding (docs/migrations.md).
 */
public record Rename(String model, String field, String from) {
}
