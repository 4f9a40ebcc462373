package dev.modelgate.sql;

import dev.modelgate.model.Models;

/**
 * The translation stage: plan IR → SQL fragments that carry their own parameters, for one
 * database — reads and aggregates ({@link SelectRenderer}), writes, upserts and links
 * ({@link WriteRenderer}). One instance per gateway; the executor's reads (through
 * {@code db/QueryRunner}) and writes ({@code exec/Writes}) both translate through it, and
 * {@code GoldenSqlTest} records what it produced as the executor sends it.
 */
public final class Translation {
    private final SelectRenderer reads;
    private final WriteRenderer writes;
    private final Dialect dialect;

    public Translation(Models models, Dialect dialect) {
        this.reads = new SelectRenderer(models, dialect);
        this.writes = new WriteRenderer(dialect);
        this.dialect = dialect;
    }

    /** Selects and aggregates, root or partitioned by parent keys. */
    public SelectRenderer reads() {
        return reads;
    }

    /** Inserts, updates, deletes, upserts and join-table links. */
    public WriteRenderer writes() {
        return writes;
    }

    public Dialect dialect() {
        return dialect;
    }
}
