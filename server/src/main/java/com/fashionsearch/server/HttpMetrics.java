package com.fashionsearch.server;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * Request latency per route, method and status, in Prometheus format through micrometer.
 * Thread-safe.
 */
final class HttpMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Records one finished request. */
  void record(Context ctx, float millis) {
    String route;
    try {
      route = ctx.endpointHandlerPath();
    } catch (RuntimeException e) {
      route = "unmatched";
    }
    if (route == null || route.isEmpty() || route.equals("*")) {
      route = ctx.status().getCode() == 404 ? "unmatched" : "static";
    }
    Timer.builder("http_server_requests")
        .description("HTTP request latency per route")
        .tag("method", ctx.method().name())
        .tag("route", route)
        .tag("status", Integer.toString(ctx.status().getCode()))
        .publishPercentiles(0.5, 0.99)
        .register(registry)
        .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }
}
