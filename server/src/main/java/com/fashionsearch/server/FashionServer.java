package com.fashionsearch.server;

import com.fashionsearch.searcher.IndexEmbedders;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.ProductSearcher;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API and web page on Javalin: starts a server over a {@link ProductSearcher} and polls
 * the index for a new generation. Start it from code with {@link #start(ServerConfig)}; the
 * returned {@link RunningServer} gives the port and stops it. Stateless; each started server is
 * independent.
 */
public final class FashionServer {
  private static final Logger LOG = LoggerFactory.getLogger(FashionServer.class);

  /**
   * Similar-product queries a server runs on its local index before it listens, so that the first
   * requests do not wait for the JIT ({@link LuceneProductSearcher#warmUp}): 3.4 s at the start of
   * {@code fashion serve} on the benchmark's 44,000 products, at most {@link #WARM_UP_BUDGET}.
   */
  static final int WARM_UP_QUERIES = 400;

  static final Duration WARM_UP_BUDGET = Duration.ofSeconds(5);

  private FashionServer() {}

  /**
   * Opens the local index's current generation and serves it; the searcher is closed with the
   * server.
   *
   * @throws IllegalStateException when the folder holds no index or one of another schema version,
   *     or the config names no local index
   */
  public static RunningServer start(ServerConfig config) throws IOException {
    Path folder =
        config
            .index()
            .folder()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "FashionServer.start(config) opens a local index; serve "
                            + config.index().backend()
                            + " with start(searcher, config)"));
    LuceneProductSearcher searcher =
        LuceneProductSearcher.open(
            folder,
            new IndexEmbedders(config.weights(), config.queryBatching()),
            KnnTuning.DEFAULT);
    try {
      long started = System.nanoTime();
      int ran = searcher.warmUp(WARM_UP_QUERIES, WARM_UP_BUDGET);
      LOG.info(
          "warmed up with {} queries in {} ms", ran, (System.nanoTime() - started) / 1_000_000);
      return start(searcher, config, true);
    } catch (RuntimeException e) {
      searcher.close();
      throw e;
    }
  }

  /** Serves {@code searcher}, which stays open after the server stops (the caller owns it). */
  public static RunningServer start(ProductSearcher searcher, ServerConfig config) {
    return start(searcher, config, false);
  }

  private static RunningServer start(ProductSearcher searcher, ServerConfig config, boolean owned) {
    HttpMetrics metrics = new HttpMetrics();
    List<String> routes = Collections.synchronizedList(new ArrayList<>());
    long maxRequest = config.maxUploadBytes() + 64 * 1024;
    Javalin app =
        Javalin.create(
            c -> {
              c.showJavalinBanner = false;
              c.startupWatcherEnabled = false;
              c.http.maxRequestSize = maxRequest;
              c.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
              c.jetty.multipartConfig.maxTotalRequestSize(maxRequest, SizeUnit.BYTES);
              c.jetty.multipartConfig.maxInMemoryFileSize(
                  (int) Math.min(Integer.MAX_VALUE, maxRequest), SizeUnit.BYTES);
              ServerLimits limits = config.limits();
              // uploads take at most limits.uploadQueue() threads; the rest answer cheap requests
              c.jetty.threadPool =
                  new QueuedThreadPool(
                      limits.maxThreads(), Math.min(8, limits.maxThreads()), 60_000);
              c.jetty.modifyHttpConfiguration(
                  h -> {
                    h.setRequestHeaderSize(limits.maxRequestHeaderBytes());
                    h.setMinRequestDataRate(limits.minRequestBytesPerSecond());
                    h.setIdleTimeout(limits.idleTimeout().toMillis());
                  });
              c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
              c.jetty.modifyServletContextHandler(
                  handler -> handler.setErrorHandler(new JsonErrorHandler()));
              c.staticFiles.add(
                  s -> {
                    s.hostedPath = "/";
                    s.directory = "/public";
                    s.location = Location.CLASSPATH;
                  });
              c.requestLogger.http(metrics::record);
              c.events(
                  e ->
                      e.handlerAdded(
                          h -> routes.add(h.getHttpMethod().name() + " " + h.getPath())));
            });
    ApiErrors.register(app);
    new ApiRoutes(searcher, config, metrics).register(app);
    app.start(config.host(), config.port());
    for (Connector connector : app.jettyServer().server().getConnectors()) {
      if (connector instanceof AbstractConnector c) {
        c.setIdleTimeout(config.limits().idleTimeout().toMillis());
      }
    }

    ScheduledExecutorService reloader =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "index-reload");
              t.setDaemon(true);
              return t;
            });
    long every = config.reloadInterval().toMillis();
    reloader.scheduleWithFixedDelay(
        () -> {
          try {
            searcher.refresh();
          } catch (Exception e) {
            LOG.warn(
                "cannot move to the new index generation, still serving the previous one: {}",
                e.toString());
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    var info = searcher.info();
    LOG.info(
        "serving {} index {} generation {} ({} products, model {}, weights {}) on port {}",
        config.index().backend(),
        config.index().collection().orElse(config.index().location()),
        info.generation(),
        info.documents(),
        info.modelId(),
        info.weightsId(),
        app.port());
    if (!info.pretrained()) {
      LOG.warn(info.untrainedWarning());
    }
    return new RunningServer(app, reloader, owned ? searcher : null, routes);
  }
}
