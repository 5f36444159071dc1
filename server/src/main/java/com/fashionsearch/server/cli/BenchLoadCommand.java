package com.fashionsearch.server.cli;

import com.fashionsearch.data.CatalogReader;
import com.fashionsearch.data.Product;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fashion bench load}: a bounded load test of a running {@code fashion serve} on this
 * machine: a mixed workload of cheap requests and uploads of real photos, optionally with a flood
 * of oversized uploads beside it; prints per route requests/s, p50, p99 and statuses, and the
 * server's peak memory.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Load-tests a running fashion serve on the loopback interface: --clients threads send a mixed"
          + " workload (similar by id, similar under a filter, one product, facets, health, uploads"
          + " of the catalog's photos) while --oversized threads upload a --oversized-side square"
          + " PNG (default 7000, 49 megapixels) again and again, honouring Retry-After. Stops after"
          + " --duration-s or --max-requests, whichever comes first.",
      "Prints per route: requests, requests/s, p50, p99, statuses; the server's peak RSS (VmHWM of"
          + " --pid, sampled VmRSS too); and one line 'load clients=.. oversized=.. ...'."
    })
final class BenchLoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:7070",
      description = "The server, on a loopback address (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--catalog",
      required = true,
      paramLabel = "DIR",
      description = "The catalog the server's index was built from (ids and photos).")
  Path catalog;

  @Option(
      names = "--clients",
      defaultValue = "8",
      description = "Threads sending the mixed workload (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--uploaders",
      defaultValue = "0",
      description =
          "Threads that only upload the catalog's photos, each waiting for its answer before the"
              + " next (default: ${DEFAULT-VALUE}).")
  int uploaders;

  @Option(
      names = "--oversized",
      defaultValue = "0",
      description = "Threads uploading the oversized PNG (default: ${DEFAULT-VALUE}).")
  int oversized;

  @Option(
      names = "--oversized-side",
      defaultValue = "7000",
      description = "Side of the oversized PNG in pixels (default: ${DEFAULT-VALUE}).")
  int oversizedSide;

  @Option(
      names = "--duration-s",
      defaultValue = "30",
      description = "Seconds to run at most (default: ${DEFAULT-VALUE}).")
  int durationS;

  @Option(
      names = "--warmup-s",
      defaultValue = "0",
      description =
          "Seconds of the same workload sent first and not measured, so that the server's first"
              + " requests (network build, JIT compilation) do not count (default:"
              + " ${DEFAULT-VALUE}).")
  int warmupS;

  @Option(
      names = "--max-requests",
      defaultValue = "50000",
      description = "Requests to send at most (default: ${DEFAULT-VALUE}).")
  long maxRequests;

  @Option(
      names = "--pid",
      description = "The server's process id, to read its peak memory from /proc.")
  Long pid;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the request mix (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    URI base = URI.create(url);
    requireLoopback(base);
    if (clients < 0 || uploaders < 0 || oversized < 0 || clients + uploaders + oversized == 0) {
      throw new IllegalArgumentException(
          "--clients, --uploaders and --oversized must be >= 0 and not all 0, got: "
              + clients
              + ", "
              + uploaders
              + ", "
              + oversized);
    }
    if (durationS < 1 || durationS > 600) {
      throw new IllegalArgumentException(
          "--duration-s must be between 1 and 600, got: " + durationS);
    }
    if (warmupS < 0 || warmupS > 600) {
      throw new IllegalArgumentException("--warmup-s must be between 0 and 600, got: " + warmupS);
    }
    if (maxRequests < 1) {
      throw new IllegalArgumentException("--max-requests must be at least 1, got: " + maxRequests);
    }
    List<Product> products = new CatalogReader().read(catalog, false).products();
    if (products.isEmpty()) {
      throw new IllegalArgumentException("no product with an image in " + catalog);
    }
    List<byte[]> photos = new ArrayList<>();
    Random pick = new Random(seed);
    for (int i = 0; i < Math.min(200, products.size()); i++) {
      photos.add(Files.readAllBytes(products.get(pick.nextInt(products.size())).image()));
    }
    PrintWriter out = spec.commandLine().getOut();
    byte[] bigPng = oversized > 0 ? LoadRun.oversizedPng(oversizedSide) : new byte[0];
    if (oversized > 0) {
      out.printf(
          Locale.ROOT,
          "oversized upload: %dx%d PNG, %d bytes%n",
          oversizedSide,
          oversizedSide,
          bigPng.length);
    }
    out.printf(
        Locale.ROOT,
        "load on %s: %d clients, %d photo uploaders, %d oversized uploaders, at most %d s and %d"
            + " requests, seed %d%n",
        base,
        clients,
        uploaders,
        oversized,
        durationS,
        maxRequests,
        seed);
    out.flush();
    if (warmupS > 0) {
      out.printf(Locale.ROOT, "warm-up: %d s of the same workload, not measured%n", warmupS);
      out.flush();
      new LoadRun(base, products, photos, bigPng, seed ^ 0x9E3779B9L)
          .run(
              clients,
              uploaders,
              oversized,
              Duration.ofSeconds(warmupS),
              maxRequests,
              new PrintWriter(Writer.nullWriter()));
    }
    LoadRun run = new LoadRun(base, products, photos, bigPng, seed);
    AtomicLong peakRss = new AtomicLong();
    Thread sampler = null;
    if (pid != null) {
      long serverPid = pid;
      sampler =
          Thread.ofPlatform()
              .daemon()
              .name("rss-sampler")
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      peakRss.accumulateAndGet(LoadRun.procStatusKb(serverPid, "VmRSS"), Math::max);
                      try {
                        Thread.sleep(100);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }
    LoadRun.Result result =
        run.run(clients, uploaders, oversized, Duration.ofSeconds(durationS), maxRequests, out);
    if (sampler != null) {
      sampler.interrupt();
    }
    result.print(out);
    long hwm = pid == null ? -1 : LoadRun.procStatusKb(pid, "VmHWM");
    if (pid != null) {
      out.printf(
          Locale.ROOT,
          "server pid %d: peak RSS (VmHWM) %.0f MB; highest sampled VmRSS during the run %.0f MB%n",
          pid,
          hwm / 1024.0,
          peakRss.get() / 1024.0);
    }
    out.printf(
        Locale.ROOT,
        "load clients=%d uploaders=%d oversized=%d duration_s=%.1f requests=%d rps=%.1f"
            + " photo_ok_rps=%.2f photo_p50_ms=%.1f photo_p99_ms=%.1f by_id_p99_ms=%.1f"
            + " health_p99_ms=%.1f status_5xx=%d status_429=%d status_503=%d status_500=%d"
            + " transport_errors=%d peak_rss_mb=%.0f%n",
        clients,
        uploaders,
        oversized,
        result.seconds(),
        result.requests(),
        result.requests() / result.seconds(),
        result.countStatus(LoadRun.PHOTO, 200) / result.seconds(),
        result.p50(LoadRun.PHOTO),
        result.p99(LoadRun.PHOTO),
        result.p99("GET /api/items/{id}/similar"),
        result.p99("GET /health"),
        result.count5xx(),
        result.countStatus(429),
        result.countStatus(503),
        result.countStatus(500),
        result.transportErrors(),
        hwm / 1024.0);
    out.flush();
    return 0;
  }

  private static void requireLoopback(URI base) throws Exception {
    if (base.getHost() == null || !"http".equals(base.getScheme())) {
      throw new IllegalArgumentException("--url must be http://HOST:PORT, got: " + base);
    }
    for (InetAddress address : InetAddress.getAllByName(base.getHost())) {
      if (!address.isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "--url must name this machine's loopback interface (load tests stay local), got: "
                + base);
      }
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
