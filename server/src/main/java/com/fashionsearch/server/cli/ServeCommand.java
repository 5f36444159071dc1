package com.fashionsearch.server.cli;

import com.fashionsearch.searcher.ProductSearcher;
import com.fashionsearch.searcher.QueryBatching;
import com.fashionsearch.server.FashionServer;
import com.fashionsearch.server.RunningServer;
import com.fashionsearch.server.ServedIndex;
import com.fashionsearch.server.ServerConfig;
import com.fashionsearch.server.ServerLimits;
import com.fashionsearch.solr.SolrTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fashion serve}: the HTTP API and web page until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the HTTP API and the web page over an index; moves to a new generation when"
          + " fashion reindex switches CURRENT, without failing requests in flight."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SearcherOptions searcherOptions;

  @Option(
      names = "--port",
      defaultValue = "7070",
      description = "Port (default: ${DEFAULT-VALUE}; 0 for any free one).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every"
              + " interface, which exposes the API to the network).")
  String host;

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description = "Product images folder (default: images/ of the indexed catalog).")
  Path images;

  @Option(
      names = "--max-upload-mb",
      defaultValue = "10",
      description = "Largest image upload in MiB (default: ${DEFAULT-VALUE}).")
  int maxUploadMb;

  @Option(
      names = "--upload-workers",
      paramLabel = "N",
      description =
          "Image uploads decoded and embedded at once (default: one per core, at most 8, and at"
              + " least --query-batch).")
  Integer uploadWorkers;

  @Option(
      names = "--query-batch",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Uploaded images that arrive together share one forward pass of the network, up to N (at"
              + " most the upload workers); 1: one image per pass (default: ${DEFAULT-VALUE}).")
  int queryBatch;

  @Option(
      names = "--query-batch-wait-ms",
      paramLabel = "MS",
      defaultValue = "5",
      description =
          "With --query-batch above 1, how long the first image of a pass waits for others"
              + " (default: ${DEFAULT-VALUE}).")
  long queryBatchWaitMs;

  @Option(
      names = "--large-upload-workers",
      paramLabel = "N",
      description =
          "Of those, how many may decode large images (over 4 megapixels): the rest stay free for"
              + " ordinary photos (default: half the upload workers, at least 1).")
  Integer largeUploadWorkers;

  @Option(
      names = "--upload-queue",
      paramLabel = "N",
      defaultValue = "32",
      description =
          "Image uploads admitted at once, running or waiting; more get 429 at once (default:"
              + " ${DEFAULT-VALUE}).")
  int uploadQueue;

  @Option(
      names = "--upload-pixel-budget-mp",
      paramLabel = "MP",
      defaultValue = "32",
      description =
          "Decoded megapixels all running uploads may hold together, about 8 bytes each (default:"
              + " ${DEFAULT-VALUE}).")
  int uploadPixelBudgetMp;

  @Option(
      names = "--upload-wait-ms",
      paramLabel = "MS",
      defaultValue = "2000",
      description =
          "How long an upload waits for a worker and memory before 429 with Retry-After (default:"
              + " ${DEFAULT-VALUE}).")
  long uploadWaitMs;

  @Option(
      names = "--max-threads",
      paramLabel = "N",
      defaultValue = "200",
      description =
          "HTTP threads; cheap requests use those uploads leave (default: ${DEFAULT-VALUE}).")
  int maxThreads;

  @Option(
      names = "--max-header-kb",
      paramLabel = "KB",
      defaultValue = "8",
      description =
          "Largest request line and headers in KiB; more gets 431 (default: ${DEFAULT-VALUE}).")
  int maxHeaderKb;

  @Option(
      names = "--idle-timeout-s",
      paramLabel = "S",
      defaultValue = "30",
      description = "Seconds after which an idle connection is closed (default: ${DEFAULT-VALUE}).")
  long idleTimeoutS;

  @Option(
      names = "--min-upload-rate",
      paramLabel = "BYTES_PER_S",
      defaultValue = "1024",
      description =
          "A request body arriving slower is cut off with 408; 0: no limit (default:"
              + " ${DEFAULT-VALUE}).")
  long minUploadRate;

  private QueryBatching queryBatching() {
    if (queryBatch < 1) {
      throw new IllegalArgumentException("--query-batch must be at least 1, got: " + queryBatch);
    }
    if (queryBatchWaitMs < 0 || queryBatchWaitMs > 1000) {
      throw new IllegalArgumentException(
          "--query-batch-wait-ms must be between 0 and 1000, got: " + queryBatchWaitMs);
    }
    return queryBatch == 1
        ? QueryBatching.NONE
        : new QueryBatching(queryBatch, Duration.ofMillis(queryBatchWaitMs));
  }

  private ServerLimits limits() {
    int workers =
        uploadWorkers == null
            ? Math.max(ServerLimits.DEFAULT.uploadWorkers(), queryBatch)
            : uploadWorkers;
    return new ServerLimits(
        workers,
        largeUploadWorkers == null ? Math.max(1, workers / 2) : largeUploadWorkers,
        uploadQueue,
        uploadPixelBudgetMp * 1_000_000L,
        Duration.ofMillis(uploadWaitMs),
        maxThreads,
        maxHeaderKb * 1024,
        Duration.ofSeconds(idleTimeoutS),
        minUploadRate);
  }

  @Override
  public Integer call() throws Exception {
    BackendOptions backend = searcherOptions.backend;
    boolean solr = backend.solr();
    ServerConfig config =
        ServerConfig.forIndex(
                solr
                    ? solrIndex(backend.solrTarget())
                    : ServedIndex.lucene(searcherOptions.requireIndex()))
            .withPort(port)
            .withHost(host)
            .withMaxUploadBytes(maxUploadMb * 1024L * 1024L)
            .withLimits(limits())
            .withQueryBatching(queryBatching());
    if (searcherOptions.queryWeights.weights != null) {
      config = config.withWeights(searcherOptions.queryWeights.weights);
    }
    if (images != null) {
      config = config.withImagesDir(images);
    }
    // the Solr searcher is opened here and closed after the server (FashionServer owns a local one)
    ProductSearcher solrSearcher = solr ? searcherOptions.open(config.queryBatching()) : null;
    RunningServer server =
        solrSearcher != null
            ? FashionServer.start(solrSearcher, config)
            : FashionServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  if (solrSearcher != null) {
                    try {
                      solrSearcher.close();
                    } catch (java.io.IOException e) {
                      System.err.println("closing the SolrCloud client failed: " + e);
                    }
                  }
                  stopped.countDown();
                },
                "shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "serving "
            + (solr
                ? "SolrCloud " + backend.solrTarget().describe()
                : searcherOptions.index.toAbsolutePath())
            + " on "
            + server.url()
            + " (Ctrl-C to stop)");
    out.flush();
    stopped.await();
    return 0;
  }

  private static ServedIndex solrIndex(SolrTarget target) {
    return ServedIndex.solr(
        target.zkHost().isEmpty() ? String.join(",", target.solrUrls()) : target.zkHost(),
        target.alias());
  }
}
