package dev.modelgate.ir;

/**
 * Sort directions of docs/api.md. Plain ASC puts NULLs last and plain DESC puts them first
 * on every database (NULL sorts as the largest value, as in PostgreSQL and Hasura).
 */
public enum SortOrder {
    ASC(false, false), DESC(true, true),
    ASC_NULLS_FIRST(false, true), ASC_NULLS_LAST(false, false),
    DESC_NULLS_FIRST(true, true), DESC_NULLS_LAST(true, false);

    private final boolean descending;
    private final boolean nullsFirst;

    SortOrder(boolean descending, boolean nullsFirst) {
        this.descending = descending;
        this.nullsFirst = nullsFirst;
    }

    public boolean descending() {
        return descending;
    }

    public boolean nullsFirst() {
        return nullsFirst;
    }
}
