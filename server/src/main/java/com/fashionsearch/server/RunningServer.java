package com.fashionsearch.server;

import io.javalin.Javalin;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started {@link FashionServer}: its port, its registered routes, and {@link #close()} to stop it
 * (the reload poller, the HTTP server, and the searcher when the server opened it). Thread-safe.
 */
public final class RunningServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningServer.class);

  private final Javalin app;
  private final ScheduledExecutorService reloader;
  private final AutoCloseable ownedSearcher;
  private final List<String> routes;

  RunningServer(
      Javalin app,
      ScheduledExecutorService reloader,
      AutoCloseable ownedSearcher,
      List<String> routes) {
    this.app = app;
    this.reloader = reloader;
    this.ownedSearcher = ownedSearcher;
    this.routes = List.copyOf(routes);
  }

  /** The port it listens on. */
  public int port() {
    return app.port();
  }

  /** The base URL on the loopback interface, e.g. {@code http://localhost:7070}. */
  public String url() {
    return "http://localhost:" + port();
  }

  /** Every registered handler as {@code METHOD path}, e.g. {@code GET /api/items/{id}}. */
  public List<String> routes() {
    return routes;
  }

  /**
   * Stops polling, stops the HTTP server (requests in progress finish), closes an owned searcher.
   */
  @Override
  public void close() {
    reloader.shutdownNow();
    try {
      reloader.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    app.stop();
    if (ownedSearcher != null) {
      try {
        ownedSearcher.close();
      } catch (Exception e) {
        LOG.warn("closing the searcher failed", e);
      }
    }
  }
}
