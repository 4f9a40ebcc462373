package dev.modelgate.exec;

import dev.modelgate.db.StatementObserver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.List;

/**
 * What the gateway reports about its work, as Micrometer meters: requests (latency by
 * operation type and outcome), errors by code, SQL statements and DataLoader batch sizes.
 */
public final class Telemetry {
    private final MeterRegistry registry;
    private final DistributionSummary batchSizes;
    /** The request timers by operation/outcome, looked up once rather than built and registered per request. */
    private final java.util.Map<String, Timer> requests = new java.util.concurrent.ConcurrentHashMap<>();

    public Telemetry(MeterRegistry registry) {
        this.registry = registry;
        this.batchSizes = DistributionSummary.builder("modelgate.dataloader.batch.size")
                .description("keys per DataLoader batch (parent rows served by one statement)")
                .serviceLevelObjectives(1, 10, 100, 1000, 10000).register(registry);
    }

    /** Meters that go nowhere (tests, commands that do not serve). */
    public static Telemetry none() {
        return new Telemetry(new CompositeMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    private Tracing tracing = Tracing.off();

    /** Traces requests with {@code tracing} (set before the gateway is built). */
    public Telemetry tracing(Tracing tracing) {
        this.tracing = tracing;
        return this;
    }

    public Tracing tracing() {
        return tracing;
    }

    /** Counts the statements the database's observer sees, hand-written ones included. */
    void observe(StatementObserver observer) {
        FunctionCounter.builder("modelgate.sql.statements", observer, StatementObserver::count)
                .description("SQL statements prepared").register(registry);
    }

    void batch(int keys) {
        batchSizes.record(keys);
    }

    /** An operation run again after a deadlock or serialization failure. */
    void retry(String operation) {
        Counter.builder("modelgate.retries").description("operations run again after a deadlock or serialization failure")
                .tag("operation", operation).register(registry).increment();
    }

    /** One request served: its operation type (query, mutation, none), outcome and error codes. */
    void request(String operation, boolean success, Duration took, List<String> errorCodes) {
        String outcome = success ? "success" : "error";
        requests.computeIfAbsent(operation + "/" + outcome, k -> Timer.builder("modelgate.requests").description("GraphQL requests")
                .tags("operation", operation, "outcome", outcome).publishPercentileHistogram().register(registry)).record(took);
        for (String code : errorCodes) {
            Counter.builder("modelgate.errors").description("errors returned, by code").tag("code", code).register(registry).increment();
        }
    }
}
