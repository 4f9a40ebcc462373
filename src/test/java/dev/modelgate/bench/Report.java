package dev.modelgate.bench;

import dev.modelgate.support.TestDb;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the benchmark's Markdown table and its chart (gateway throughput as a share of the floor). */
final class Report {
    private Report() {
    }

    static double target(String op) {
        return op.equals("Q2") || op.equals("Q5") || op.equals("Q8") ? 0.5 : 0.7;
    }

    static void write(Path out, Map<TestDb, Map<String, Map<String, Benchmark.Cell>>> results, Map<TestDb, String> versions,
                      int seconds, int warmup) throws Exception {
        StringBuilder md = new StringBuilder();
        Runtime rt = Runtime.getRuntime();
        md.append("# Benchmark results\n\n");
        md.append("Run on ").append(Benchmark.today()).append(" with `mvn -B -Pbench` (")
                .append(warmup).append(" s warm-up, ").append(seconds).append(" s measured per cell in ").append(Integer.getInteger("bench.rounds", 3))
                .append(" rounds taken in turn by gateway and floor; closed loop over HTTP on loopback).\n\n");
        md.append("Machine: ").append(rt.availableProcessors()).append(" cores, Java ").append(System.getProperty("java.version"))
                .append(" (").append(System.getProperty("java.vm.name")).append("), ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.arch")).append(", max heap ").append(rt.maxMemory() >> 20).append(" MB. ")
                .append("Client, gateway, floor and (for SQLite) the database share the machine and one JVM.\n\n");
        md.append("Data: 1,000 states × 50 cities (50,000 cities). Operations:\n\n");
        for (Benchmark.Op op : Benchmark.selectedOps()) {
            md.append("- **").append(op.name()).append("** ").append(op.description()).append(": `").append(op.query()).append("`\n");
        }
        md.append("\n*floor*: the same JSON from one hand-written JDBC statement per operation, Jackson, the same Javalin and pool. ")
                .append("*no batching*: the gateway with DataLoader batching switched off (one statement per parent row), concurrency 1. ")
                .append("*stmts*: SQL statements per request, counted. *heap*: peak heap in use during the cell (whole JVM). ")
                .append("*share*: gateway requests/s ÷ floor requests/s (target ≥ 70% for Q1, Q3, Q4, Q6, Q7; ≥ 50% for Q2, Q5, Q8).\n\n");
        for (var db : results.entrySet()) {
            md.append("## ").append(db.getKey()).append(" — ").append(versions.get(db.getKey())).append("\n\n");
            md.append("| op | conc | gateway req/s | p50 ms | p99 ms | stmts | heap MB | floor req/s | p50 ms | p99 ms | share | no batching req/s | stmts |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (var op : db.getValue().entrySet()) {
                for (int c : new int[]{1, 8}) {
                    Benchmark.Cell g = op.getValue().get("gateway c" + c);
                    Benchmark.Cell f = op.getValue().get("floor c" + c);
                    Benchmark.Cell n = c == 1 ? op.getValue().get("naive c1") : null;
                    double share = g.rps() / f.rps();
                    md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %.2f | %.0f | %d | %s | %.2f | %.2f | %s%.0f%%%s | %s | %s |\n",
                            op.getKey(), c, rps(g), g.p50(), g.p99(), g.statementsPerRequest(), g.heapMb(), rps(f), f.p50(), f.p99(),
                            share >= target(op.getKey()) ? "" : "**", share * 100, share >= target(op.getKey()) ? "" : "**",
                            n == null ? "—" : rps(n),
                            n == null ? "—" : String.format(Locale.ROOT, "%.0f", n.statementsPerRequest())));
                }
            }
            md.append('\n');
        }
        md.append("Shares in **bold** fall short of the target; see `docs/benchmarks/README.md` for why.\n");
        Files.writeString(out.resolve("results.md"), md.toString());
        chart(out.resolve("results.png"), results);
    }

    /** Requests per second, with a decimal when there are few. */
    private static String rps(Benchmark.Cell c) {
        return String.format(Locale.ROOT, c.rps() < 10 ? "%.1f" : "%.0f", c.rps());
    }

    /** Grouped bars: share of the floor per operation, per database, at concurrency 1 and 8, with the target lines. */
    static void chart(Path file, Map<TestDb, Map<String, Map<String, Benchmark.Cell>>> results) throws Exception {
        int width = 1100;
        int height = 480;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 60;
        int top = 50;
        int bottom = height - 70;
        int plotH = bottom - top;
        double max = 1.2;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Gateway throughput as a share of the raw-JDBC floor (concurrency 1 light, 8 dark)", left, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int pct = 0; pct <= 120; pct += 20) {
            int y = bottom - (int) (plotH * pct / 100.0 / max);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left, y, width - 20, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(pct + "%", 20, y + 4);
        }
        List<TestDb> dbs = List.copyOf(results.keySet());
        Color[][] colors = {{new Color(158, 202, 225), new Color(33, 113, 181)}, {new Color(161, 217, 155), new Color(35, 139, 69)},
                {new Color(253, 174, 107), new Color(217, 72, 1)}};
        int groups = Benchmark.selectedOps().size();
        int groupW = (width - left - 40) / groups;
        int barW = Math.max(6, (groupW - 20) / Math.max(1, dbs.size() * 2));
        for (int o = 0; o < groups; o++) {
            String op = Benchmark.selectedOps().get(o).name();
            int x0 = left + 10 + o * groupW;
            for (int d = 0; d < dbs.size(); d++) {
                Map<String, Benchmark.Cell> cells = results.get(dbs.get(d)).get(op);
                for (int c = 0; c < 2; c++) {
                    Benchmark.Cell gw = cells.get("gateway c" + (c == 0 ? 1 : 8));
                    Benchmark.Cell fl = cells.get("floor c" + (c == 0 ? 1 : 8));
                    double share = Math.min(max, gw.rps() / fl.rps());
                    int h = (int) (plotH * share / max);
                    int x = x0 + (d * 2 + c) * barW;
                    g.setColor(colors[d % colors.length][c]);
                    g.fillRect(x, bottom - h, barW - 2, h);
                }
            }
            int targetY = bottom - (int) (plotH * target(op) / max);
            g.setColor(Color.RED);
            g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{6, 4}, 0));
            g.drawLine(x0 - 4, targetY, x0 + dbs.size() * 2 * barW + 2, targetY);
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.BLACK);
            g.drawString(op, x0 + dbs.size() * barW - 8, bottom + 18);
        }
        int lx = left;
        for (int d = 0; d < dbs.size(); d++) {
            g.setColor(colors[d % colors.length][1]);
            g.fillRect(lx, height - 30, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(dbs.get(d).toString(), lx + 20, height - 18);
            lx += 160;
        }
        g.setColor(Color.RED);
        g.drawString("- - target (70% Q1, Q3, Q4, Q6, Q7; 50% Q2, Q5, Q8)", lx + 20, height - 18);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
