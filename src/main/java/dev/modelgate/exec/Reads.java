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

    // ---- several plans of one shape (a live query's variable sets): one statement per level for all ----

    /** Each root select's rows, by index. */
    List<List<Map<String, Object>>> rows(Session s, List<Select> selects) {
        return same(selects) ? fill(selects.size(), rows(s, selects.get(0))) : runner.listMany(s, selects);
    }

    /** Each root aggregate's result, by index. */
    List<Map<String, Object>> aggregates(Session s, List<Aggregate> aggregates) {
        if (same(aggregates)) {
            return fill(aggregates.size(), aggregate(s, aggregates.get(0)));
        }
        List<List<Object>> raw = runner.aggregateMany(s, aggregates);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            out.add(result(aggregates.get(i).terms(), raw.get(i)));
        }
        return out;
    }

    /** Each root grouping's groups, by index. */
    List<List<Map<String, Object>>> groups(Session s, List<Group> groups) {
        if (same(groups)) {
            return fill(groups.size(), groups(s, groups.get(0)));
        }
        List<List<QueryRunner.GroupRow>> raw = runner.groupsMany(s, groups);
        List<List<Map<String, Object>>> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Group g = groups.get(i);
            out.add(raw.get(i).stream().map(r -> group(g, r)).toList());
        }
        return out;
    }

    /**
     * Each template's related values by parent key, by index. Templates alike (the variables only
     * reached the root) are one level over all their keys, as for one request; else one union.
     */
    List<Map<Object, Object>> related(Session s, Telemetry t, Relation r, List<Select> templates, List<Set<Object>> keys) {
        if (same(templates)) {
            return fill(templates.size(), related(s, t, r, templates.get(0), union(keys)));
        }
        return perParent(t, r, templates, keys, Select::withPartition, parts -> runner.listByParentMany(s, parts),
                (template, rows) -> r.toMany() ? capped(rows, template.limit()) : rows.get(0));
    }

    /** Each template's aggregates by parent key, by index. */
    List<Map<Object, Object>> relatedAggregates(Session s, Telemetry t, Relation r, List<Aggregate> templates, List<Set<Object>> keys) {
        if (same(templates)) {
            return fill(templates.size(), relatedAggregates(s, t, r, templates.get(0), union(keys)));
        }
        return perParent(t, r, templates, keys, (a, p) -> new Aggregate(a.model(), a.where(), a.terms(), p),
                parts -> runner.aggregateByParentMany(s, parts), (a, values) -> result(a.terms(), values));
    }

    /** Each template's groups by parent key, by index. */
    List<Map<Object, Object>> relatedGroups(Session s, Telemetry t, Relation r, List<Group> templates, List<Set<Object>> keys) {
        if (same(templates)) {
            return fill(templates.size(), relatedGroups(s, t, r, templates.get(0), union(keys)));
        }
        return perParent(t, r, templates, keys, Group::withPartition, parts -> runner.groupsByParentMany(s, parts),
                (g, rows) -> rows.stream().map(row -> group(g, row)).toList());
    }

    /**
     * Templates that differ, each restricted to its own parents' keys, read by one statement;
     * each value shaped by its template. A template without parents reads nothing.
     */
    private <T, V> List<Map<Object, Object>> perParent(Telemetry t, Relation r, List<T> templates, List<Set<Object>> keys,
                                                       java.util.function.BiFunction<T, Partition, T> with,
                                                       Function<List<T>, List<Map<Object, V>>> read,
                                                       java.util.function.BiFunction<T, V, Object> shape) {
        List<Map<Object, Object>> out = new ArrayList<>();
        List<Integer> reading = new ArrayList<>();
        List<T> parts = new ArrayList<>();
        for (int i = 0; i < templates.size(); i++) {
            out.add(new HashMap<>());
            if (!keys.get(i).isEmpty()) {
                reading.add(i);
                parts.add(with.apply(templates.get(i), new Partition(r, new ArrayList<>(keys.get(i)))));
            }
        }
        if (parts.isEmpty()) {
            return out;
        }
        t.batch(keys.stream().mapToInt(Set::size).sum());
        List<Map<Object, V>> raw = read.apply(parts);
        for (int j = 0; j < raw.size(); j++) {
            int i = reading.get(j);
            raw.get(j).forEach((k, v) -> out.get(i).put(k, shape.apply(templates.get(i), v)));
        }
        return out;
    }

    /** Whether the plans are all equal, so that one statement of the first serves them all. */
    private static boolean same(List<?> plans) {
        for (int i = 1; i < plans.size(); i++) {
            if (!plans.get(i).equals(plans.get(0))) {
                return false;
            }
        }
        return true;
    }

    private static <T> List<T> fill(int n, T value) {
        return java.util.Collections.nCopies(n, value);
    }

    private static Set<Object> union(List<Set<Object>> keys) {
        if (keys.size() == 1) {
            return keys.get(0);
        }
        Set<Object> all = new java.util.LinkedHashSet<>();
        keys.forEach(all::addAll);
        return all;
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
