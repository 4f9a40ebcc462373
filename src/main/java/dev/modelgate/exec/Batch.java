package dev.modelgate.exec;

import graphql.ExecutionResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Requests run together: each request's bound plan waits here (its execution strategy returns
 * a future) until {@link #run} loads them all at once ({@link Run#executeAll}: one statement per
 * level for every request). A live query's re-run of several variable sets of one document is one
 * batch. A plan that arrives after the batch ran runs on its own.
 */
final class Batch {
    private final List<Run> runs = new ArrayList<>();
    private final List<CompletableFuture<ExecutionResult>> results = new ArrayList<>();
    private boolean ran;

    synchronized CompletableFuture<ExecutionResult> add(Run run) {
        if (ran) {
            return CompletableFuture.completedFuture(run.execute());
        }
        CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
        runs.add(run);
        results.add(result);
        return result;
    }

    synchronized void run() {
        ran = true;
        if (runs.isEmpty()) {
            return;
        }
        try {
            List<ExecutionResult> out = Run.executeAll(runs);
            for (int i = 0; i < out.size(); i++) {
                results.get(i).complete(out.get(i));
            }
        } catch (RuntimeException e) {
            results.forEach(r -> r.completeExceptionally(e));
        }
    }
}
