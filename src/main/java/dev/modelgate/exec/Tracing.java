package dev.modelgate.exec;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.language.Document;
import graphql.validation.ValidationError;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OpenTelemetry tracing: a span per request (continuing the caller's {@code traceparent}), with
 * child spans for parsing, validation, each relationship level and each SQL statement (its text,
 * never its values). Off — a no-op costing nothing — unless {@code tracing.enabled} or
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set; then the SDK is configured by the standard
 * {@code OTEL_*} variables (exporter, endpoint, service name, sampler).
 */
public final class Tracing {
    private static final AttributeKey<String> STATEMENT = AttributeKey.stringKey("db.query.text");
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("graphql.operation.name");

    private final OpenTelemetry otel;
    private final Tracer tracer;
    private final boolean on;

    public Tracing(OpenTelemetry otel) {
        this.otel = otel;
        this.tracer = otel.getTracer("modelgate");
        this.on = otel != OpenTelemetry.noop();
    }

    public static Tracing off() {
        return new Tracing(OpenTelemetry.noop());
    }

    /** On when {@code enabled} or an OTLP endpoint is in the environment; configured from OTEL_* variables. */
    public static Tracing configure(boolean enabled) {
        if (!enabled && System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == null) {
            return off();
        }
        return new Tracing(AutoConfiguredOpenTelemetrySdk.initialize().getOpenTelemetrySdk());
    }

    public boolean on() {
        return on;
    }

    /** A request's span, as a child of the caller's {@code traceparent} when the headers carry one; current until closed. */
    public Request request(String name, java.util.function.Function<String, String> headers) {
        if (!on) {
            return Request.NONE;
        }
        Context parent = otel.getPropagators().getTextMapPropagator().extract(Context.root(), headers, new TextMapGetter<>() {
            @Override
            public Iterable<String> keys(java.util.function.Function<String, String> carrier) {
                return List.of("traceparent", "tracestate");
            }

            @Override
            public String get(java.util.function.Function<String, String> carrier, String key) {
                return carrier == null ? null : carrier.apply(key);
            }
        });
        Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
        return new Request(span, span.makeCurrent(), otel);
    }

    /** A request's span: its {@code traceparent} to return, its trace id for the log; ended by close. */
    public static final class Request implements AutoCloseable {
        static final Request NONE = new Request(null, null, null);
        private final Span span;
        private final Scope scope;
        private final OpenTelemetry otel;

        private Request(Span span, Scope scope, OpenTelemetry otel) {
            this.span = span;
            this.scope = scope;
            this.otel = otel;
        }

        /** The W3C traceparent of this request's span, or null when tracing is off. */
        public String traceparent() {
            if (span == null) {
                return null;
            }
            String[] out = new String[1];
            otel.getPropagators().getTextMapPropagator().inject(Context.current().with(span), null,
                    (carrier, key, value) -> {
                        if (key.equals("traceparent")) {
                            out[0] = value;
                        }
                    });
            return out[0];
        }

        public String traceId() {
            return span == null ? null : span.getSpanContext().getTraceId();
        }

        public void operation(String name, boolean failed) {
            if (span != null) {
                span.setAttribute(OPERATION, name == null ? "" : name);
                if (failed) {
                    span.setStatus(StatusCode.ERROR);
                }
            }
        }

        @Override
        public void close() {
            if (span != null) {
                scope.close();
                span.end();
            }
        }
    }

    /** A child span of the current one, ended by the returned Runnable. */
    public Runnable span(String name) {
        if (!on) {
            return () -> {
            };
        }
        Span s = tracer.spanBuilder(name).startSpan();
        return s::end;
    }

    /** A SQL statement's span: its text (parameters as ?), never the values. */
    public Runnable statement(String sql, String dialect) {
        if (!on) {
            return () -> {
            };
        }
        Span s = tracer.spanBuilder("sql " + firstWord(sql)).setSpanKind(SpanKind.CLIENT)
                .setAttribute(STATEMENT, sql).setAttribute(SYSTEM, dialect).startSpan();
        return s::end;
    }

    private static String firstWord(String sql) {
        String t = sql.stripLeading();
        int i = t.indexOf(' ');
        return (i < 0 ? t : t.substring(0, i)).toUpperCase(java.util.Locale.ROOT);
    }

    /** graphql-java's parse and validate steps, as child spans. */
    public graphql.execution.instrumentation.Instrumentation instrumentation() {
        return new SimplePerformantInstrumentation() {
            @Override
            public InstrumentationContext<Document> beginParse(InstrumentationExecutionParameters p, InstrumentationState state) {
                return on ? ending(span("graphql.parse")) : null;
            }

            @Override
            public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters p,
                                                                                InstrumentationState state) {
                return on ? ending(span("graphql.validate")) : null;
            }

            @Override
            public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters p) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult r,
                                                                               InstrumentationExecutionParameters p,
                                                                               InstrumentationState state) {
                return CompletableFuture.completedFuture(r);
            }
        };
    }

    private static <T> InstrumentationContext<T> ending(Runnable end) {
        return SimpleInstrumentationContext.whenCompleted((value, error) -> end.run());
    }
}
