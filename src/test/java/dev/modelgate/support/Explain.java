package dev.modelgate.support;

import dev.modelgate.ir.FieldPlan;
import dev.modelgate.ir.Partition;
import dev.modelgate.ir.Select;
import dev.modelgate.sql.Fragment;
import dev.modelgate.sql.SelectRenderer;
import dev.modelgate.sql.Translation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The live database's plan (EXPLAIN) of the statements an operation's plan renders. */
public final class Explain {
    /** One statement of an operation, and the database's plan for it. */
    public record Statement(String field, boolean root, Fragment sql, String plan) {
    }

    private Explain() {
    }

    /**
     * Every read statement of {@code query}'s plan, a relationship level rendered for
     * {@code parentKeys} (as the level would be run for a page of parents), with its plan.
     */
    public static List<Statement> operation(TestDb db, Fixture f, String query, Map<String, Object> variables,
                                            List<Object> parentKeys) throws Exception {
        Plans plans = new Plans(f.models, 10000);
        SelectRenderer renderer = new Translation(f.models, f.db.dialect()).reads();
        List<Statement> out = new ArrayList<>();
        walk(db, f, renderer, plans.plan(query, variables, null, Map.of()), parentKeys, out);
        return out;
    }

    private static void walk(TestDb db, Fixture f, SelectRenderer r, List<FieldPlan> plans, List<Object> keys,
                             List<Statement> out) throws Exception {
        for (FieldPlan p : plans) {
            Select s = null;
            if (p instanceof FieldPlan.Rows rows) {
                s = rows.select();
            } else if (p instanceof FieldPlan.Related rel) {
                s = rel.select().withPartition(new Partition(rel.relation(), keys));
            }
            if (s != null) {
                Fragment sql = r.select(s);
                out.add(new Statement(p.out().parentType() + "." + p.out().name(), p instanceof FieldPlan.Rows, sql, plan(db, f, sql)));
            }
            walk(db, f, r, p.children(), keys, out);
        }
    }

    /** The database's plan for a statement, with its parameters bound, as one line of text. */
    public static String plan(TestDb db, Fixture f, Fragment statement) throws Exception {
        return plan(db, f, statement, false);
    }

    /**
     * The plan PostgreSQL makes when sequential scans are priced out ({@code enable_seqscan = off}):
     * whether an index <em>can</em> serve the statement, where the planner rightly prefers to
     * scan a table of a few pages.
     */
    public static String planWithoutSeqScan(Fixture f, Fragment statement) throws Exception {
        return plan(TestDb.POSTGRESQL, f, statement, true);
    }

    private static String plan(TestDb db, Fixture f, Fragment statement, boolean noSeqScan) throws Exception {
        String prefix = db == TestDb.SQLITE ? "EXPLAIN QUERY PLAN " : "EXPLAIN ";
        try (Connection c = f.db.dataSource().getConnection()) {
            if (noSeqScan) {
                c.setAutoCommit(false);
                try (var st = c.createStatement()) {
                    st.execute("SET LOCAL enable_seqscan = off");
                }
            }
            try {
                return plan(c, prefix, statement);
            } finally {
                if (noSeqScan) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        }
    }

    private static String plan(Connection c, String prefix, Fragment statement) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(prefix + statement.sql())) {
            for (int i = 0; i < statement.params().size(); i++) {
                ps.setObject(i + 1, statement.params().get(i));
            }
            StringBuilder out = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        out.append(rs.getMetaData().getColumnLabel(i)).append('=').append(rs.getString(i)).append(' ');
                    }
                    out.append("| ");
                }
            }
            return out.toString().replace('\n', ' ');
        }
    }

    /**
     * What is wrong with a statement's plan, or null. A full scan, anywhere: MariaDB/MySQL
     * {@code type=ALL}, PostgreSQL {@code Seq Scan}, H2 {@code tableScan}. A sort in a root read
     * (a page must come in order from an index, not by sorting the table): MariaDB
     * {@code filesort}, PostgreSQL {@code Sort}, SQLite {@code TEMP B-TREE} (SQLite's "SCAN t0" of
     * a page is the ordered walk of the table's key, stopped at the limit). A relationship
     * level may sort the rows it fetched by key: PostgreSQL's index on a foreign key does not
     * hold the rows in key order.
     */
    public static String problem(TestDb db, Statement s) {
        String plan = s.plan();
        boolean sorts = switch (db) {
            case MARIADB -> plan.toLowerCase().contains("filesort");
            case POSTGRESQL -> plan.contains("Sort");
            case SQLITE -> plan.contains("TEMP B-TREE");
            case H2 -> false;
        };
        boolean scans = switch (db) {
            case MARIADB -> plan.contains("type=ALL");
            case POSTGRESQL -> plan.contains("Seq Scan");
            case H2 -> plan.contains("tableScan");
            case SQLITE -> false;
        };
        return scans ? "full scan" : sorts && s.root() ? "sort" : null;
    }
}
