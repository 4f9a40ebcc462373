package dev.modelgate.sql;

import dev.modelgate.ir.SortOrder;
import dev.modelgate.model.Field;
import dev.modelgate.model.ScalarType;

import java.util.List;

/** What differs between databases: quoting, types, paging, value conversion, DDL details. */
public interface Dialect {

    String name();

    String quote(String identifier);

    /** One ORDER BY item with explicit NULLs placement. */
    String orderItem(String expr, SortOrder order);

    /** Case-sensitive {@code LIKE} with {@code !} as the escape character. */
    String like(String expr, String placeholder);

    /** Case-insensitive {@code LIKE} with {@code !} as the escape character. */
    String ilike(String expr, String placeholder);

    /** Appends LIMIT/OFFSET (either may be null, not both). */
    void paging(SqlBuilder b, Long limit, Long offset);

    /** A GraphQL-level value as the JDBC parameter for a column of this field. */
    Object toJdbc(Field field, Object value);

    /** A JDBC value read from a column (or an aggregate) as a GraphQL-level value of {@code type}. */
    Object fromJdbc(ScalarType type, Object raw);

    /** The most bound parameters one statement may carry. */
    int maxParameters();

    // ---- DDL ----

    String columnType(Field field);

    /** The column definition of a generated primary key (type and identity clause). */
    String generatedKeyDefinition(Field field);

    /** A DEFAULT clause expression for the field's {@code @default}, or null. */
    String defaultExpression(Field field);

    /** Whether foreign keys are declared inside CREATE TABLE (else added by ALTER TABLE afterwards). */
    boolean inlineForeignKeys();

    /** Driver properties for every new connection (e.g. SQLite pragmas). */
    java.util.Map<String, String> connectionProperties();

    /** One statement run on every new connection, or null. */
    String connectionInitSql();

    /** The default connection pool size. */
    int defaultPoolSize();
}
