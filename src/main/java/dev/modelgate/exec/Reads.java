package dev.modelgate.exec;

import dev.modelgate.db.QueryRunner;
import dev.modelgate.db.Session;
import dev.modelgate.ir.Aggregate;
import dev.modelgate.ir.Group;
import dev.modelgate.ir.Partition;
import dev.modelgate.ir.Select;
import dev.modelgate.model.AggregateFn;
import dev.modelgate.model.Relation;
import org.dataloader.BatchLoaderEnvironment;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderOptions;
import org.dataloader.MappedBatchLoaderWithContext;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs the read IR of a plan: root lists and aggregates, one statement each; relationships
 * and their aggregates for a whole level of parent rows through one DataLoader dispatch, which
 * is one statement per level (per chunk of the database's parameter limit).
 */
final class Reads {
    private final QueryRunner runner;
    private final int maxRows;
    private final DataLoaderOptions options;

    /** {@code batching} false makes every parent key its own statement (the naive cost; benchmarks only). */
    Reads(QueryRunner runner, int maxRows, boolean batching) {
        this.runner = runner;
        this.maxRows = maxRows;
        this.options = DataLoaderOptions.newOptions().setBatchingEnabled(batching).build();
    }

    List<Map<String, Object>> rows(Session s, Select select) {
        return runner.list(s, select);
    }

    Map<String, Object> aggregate(Session s, Aggregate a) {
        return result(a.terms(), runner.aggregate(s, a));
    }

    /** Parent key → the related row (to-one) or rows (to-many), for all of {@code keys} at once. */
    Map<Object, Object> related(Session s, Telemetry t, Relation r, Select template, Collection<Object> keys) {
        return level(keys, batch -> {
            t.batch(batch.size());
            Select part = template.withPartition(new Partition(r, new ArrayList<>(batch)));
            Map<Object, Object> out = new HashMap<>();
            runner.listByParent(s, part).forEach((k, v) -> out.put(k, r.toMany() ? capped(v, template.limit()) : v.get(0)));
            return out;
        });
    }

    /** Parent key → {count, sum, …} over its related rows, for all of {@code keys} at once. */
    Map<Object, Object> relatedAggregates(Session s, Telemetry t, Relation r, Aggregate template, Collection<Object> keys) {
        return level(keys, batch -> {
            t.batch(batch.size());
            Aggregate part = new Aggregate(template.model(), template.where(), template.terms(), new Partition(r, new ArrayList<>(batch)));
            Map<Object, Object> out = new HashMap<>();
            runner.aggregateByParent(s, part).forEach((k, v) -> out.put(k, result(template.terms(), v)));
            return out;
        });
    }

    /** The groups of a root grouping, each as {key: {…}, count, sum: {…}, …}. */
    List<Map<String, Object>> groups(Session s, Group g) {
        return runner.groups(s, g).stream().map(r -> group(g, r)).toList();
    }

    /** Parent key → its groups, for all of {@code keys} at once. */
    Map<Object, Object> relatedGroups(Session s, Telemetry t, Relation r, Group template, Collection<Object> keys) {
        return level(keys, batch -> {
            t.batch(batch.size());
            Map<Object, Object> out = new HashMap<>();
            runner.groupsByParent(s, template.withPartition(new Partition(r, new ArrayList<>(batch))))
                    .forEach((k, v) -> out.put(k, v.stream().map(row -> group(template, row)).toList()));
            return out;
        });
    }

    private Map<String, Object> group(Group g, QueryRunner.GroupRow row) {
        Map<String, Object> out = result(g.terms(), row.values());
        out.put("key", row.key());
        return out;
    }

    private Map<Object, Object> level(Collection<Object> keys, Function<Set<Object>, Map<Object, Object>> load) {
        return level(keys, load, options);
    }

    /**
     * One DataLoader dispatch over a level's keys: with batching on, one call of {@code load}
     * for all of them; off, one call per key. Keys with no value are absent from the result.
     */
    static Map<Object, Object> level(Collection<Object> keys, Function<Set<Object>, Map<Object, Object>> load, DataLoaderOptions options) {
        Map<Object, Object> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        MappedBatchLoaderWithContext<Object, Object> batch = (Set<Object> ks, BatchLoaderEnvironment env) ->
                CompletableFuture.completedFuture(load.apply(ks));
        DataLoader<Object, Object> loader = DataLoaderFactory.newMappedDataLoader(batch, options);
        List<Object> ordered = new ArrayList<>(keys);
        CompletableFuture<List<Object>> values = loader.loadMany(ordered);
        loader.dispatch();
        List<Object> vs = values.join();
        for (int i = 0; i < ordered.size(); i++) {
            if (vs.get(i) != null) {
                out.put(ordered.get(i), vs.get(i));
            }
        }
        return out;
    }

    /** At most the row cap per parent for a relationship list without a limit (one statement still serves every parent). */
    private List<Map<String, Object>> capped(List<Map<String, Object>> rows, Long limit) {
        return limit == null && rows.size() > maxRows ? rows.subList(0, maxRows) : rows;
    }

    /** A relationship's value when the parent has no key or no related row: an empty list (to-many) or null. */
    static Object orEmpty(Relation r, Object loaded) {
        return loaded == null && r.toMany() ? List.of() : loaded;
    }

    /** An aggregate over no rows: count 0, every other aggregate null. */
    Map<String, Object> empty(Aggregate plan) {
        return result(plan.terms(), null);
    }

    /** Shapes raw aggregate values (null: no rows) as {count, sum: {…}, avg: {…}, …}. */
    private Map<String, Object> result(List<Aggregate.Term> terms, List<Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(AggregateFn.COUNT.graphqlName(), 0);
        for (int i = 0; i < terms.size(); i++) {
            Aggregate.Term t = terms.get(i);
            Object raw = values == null ? null : values.get(i);
            if (t.fn() == AggregateFn.COUNT) {
                out.put(t.fn().graphqlName(), raw == null ? 0 : ((Number) raw).intValue());
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> group = (Map<String, Object>) out.computeIfAbsent(t.fn().graphqlName(), k -> new LinkedHashMap<>());
            // of the field's own type (min, max, a decimal's sum): read as the field is, its scale kept
            group.put(t.field().name(), t.resultType() == t.field().type() && !t.field().list()
                    ? runner.values().read(t.field(), raw) : runner.values().read(t.resultType(), raw));
        }
        for (AggregateFn fn : AggregateFn.overFields()) {
            out.putIfAbsent(fn.graphqlName(), Map.of());
        }
        return out;
    }
}
