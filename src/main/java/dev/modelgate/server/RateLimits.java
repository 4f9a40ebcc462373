package dev.modelgate.server;

import dev.modelgate.auth.Principal;
import dev.modelgate.config.Config;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code limits.rate}: requests per role, counted per user ({@code userId}) within the role, or
 * per client address for {@code anonymous}; a token bucket each (Bucket4j), refilled at the
 * configured rate. Roles not listed are not limited.
 */
final class RateLimits {
    /** Buckets kept, at most; past that they start over (a forgotten bucket is a full one). */
    private static final int MAX_BUCKETS = 100_000;

    private final Map<String, Config.Rate> rates;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimits(Map<String, Config.Rate> rates) {
        this.rates = rates == null ? Map.of() : Map.copyOf(rates);
        this.rates.forEach((role, r) -> {
            if (r == null || r.requests < 1 || r.perSeconds < 1) {
                throw new IllegalArgumentException("limits.rate." + role + " needs requests and perSeconds of 1 or more");
            }
        });
    }

    /** Seconds to wait before the next request is allowed, or 0 when this one is. */
    long check(Principal principal, String clientAddress) {
        String role = principal == null ? Principal.ADMIN : principal.role();
        Config.Rate rate = rates.get(role);
        if (rate == null) {
            return 0;
        }
        Object user = principal.variables().get("userId");
        String key = role + "\u0000" + (user != null && !Principal.ANONYMOUS.equals(role) ? "user:" + user : "address:" + clientAddress);
        if (buckets.size() >= MAX_BUCKETS) {
            buckets.clear();
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(rate.requests).refillIntervally(rate.requests, Duration.ofSeconds(rate.perSeconds)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }
}
