package com.fashionsearch.server.cli;

import com.fashionsearch.data.Product;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * One bounded load run against a server: client threads with a mixed workload and uploader threads
 * with an oversized PNG, until a deadline or a request count. Thread-safe: each thread records into
 * synchronized per-route statistics.
 */
final class LoadRun {
  static final String OVERSIZED = "POST /api/search (oversized PNG)";
  static final String PHOTO = "POST /api/search (photo)";
  private static final String BOUNDARY = "----fashion-load-boundary";

  private final URI base;
  private final List<Product> products;
  private final List<byte[]> photos;
  private final byte[] bigPng;
  private final long seed;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final Map<String, RouteStats> routes = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();

  LoadRun(URI base, List<Product> products, List<byte[]> photos, byte[] bigPng, long seed) {
    this.base = base;
    this.products = products;
    this.photos = photos;
    this.bigPng = bigPng;
    this.seed = seed;
  }

  /**
   * A {@code side} x {@code side} PNG of a product-like picture on white: large, but small as a
   * file.
   */
  static byte[] oversizedPng(int side) throws IOException {
    if (side < 16 || side > 20_000) {
      throw new IllegalArgumentException(
          "--oversized-side must be between 16 and 20000, got: " + side);
    }
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, side, side);
      g.setColor(new Color(0x1f3a93));
      g.fillRect(side / 4, side / 6, side / 2, side * 2 / 3);
      g.setColor(new Color(0xc0392b));
      g.fillOval(side / 3, side / 3, side / 3, side / 5);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** A {@code key:} value of /proc/PID/status in kB, or -1 when it cannot be read. */
  static long procStatusKb(long pid, String key) {
    try {
      for (String line :
          Files.readAllLines(
              Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith(key + ":")) {
          return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  Result run(int clients, int uploaders, Duration duration, long maxRequests, PrintWriter out)
      throws InterruptedException {
    return run(clients, 0, uploaders, duration, maxRequests, out);
  }

  /**
   * @param clients threads with the mixed workload
   * @param photoUploaders threads that only upload the catalog's photos, one after another
   * @param uploaders threads uploading the oversized image
   */
  Result run(
      int clients,
      int photoUploaders,
      int uploaders,
      Duration duration,
      long maxRequests,
      PrintWriter out)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Random random = new Random(seed + i);
      threads.add(
          Thread.ofPlatform()
              .name("load-client-" + i)
              .start(() -> mixed(random, deadline, maxRequests)));
    }
    for (int i = 0; i < uploaders; i++) {
      threads.add(
          Thread.ofPlatform()
              .name("load-oversized-" + i)
              .start(() -> oversized(deadline, maxRequests)));
    }
    for (int i = 0; i < photoUploaders; i++) {
      Random random = new Random(seed + 1000 + i);
      threads.add(
          Thread.ofPlatform()
              .name("load-photos-" + i)
              .start(() -> photos(random, deadline, maxRequests)));
    }
    long lastReport = System.nanoTime();
    for (Thread t : threads) {
      while (t.isAlive()) {
        t.join(1000);
        long now = System.nanoTime();
        if (now - lastReport > 5_000_000_000L) {
          lastReport = now;
          double elapsed = (now - start) / 1e9;
          out.printf(
              Locale.ROOT,
              "  %.0f s: %d requests, %.1f/s, %.0f s left%n",
              elapsed,
              sent.get(),
              sent.get() / elapsed,
              Math.max(0, (deadline - now) / 1e9));
          out.flush();
        }
      }
    }
    return new Result((System.nanoTime() - start) / 1e9, new TreeMap<>(routes));
  }

  private boolean more(long deadline, long maxRequests) {
    return System.nanoTime() < deadline && sent.incrementAndGet() <= maxRequests;
  }

  private void mixed(Random random, long deadline, long maxRequests) {
    while (more(deadline, maxRequests)) {
      Product p = products.get(random.nextInt(products.size()));
      int r = random.nextInt(100);
      if (r < 30) {
        get("GET /api/items/{id}/similar", "/api/items/" + p.id() + "/similar?k=10");
      } else if (r < 50) {
        get(
            "GET /api/items/{id}/similar (filtered)",
            "/api/items/"
                + p.id()
                + "/similar?k=10&masterCategory="
                + BenchLoadCommand.enc(p.attribute("masterCategory"))
                + "&gender="
                + BenchLoadCommand.enc(p.attribute("gender")));
      } else if (r < 65) {
        get("GET /api/items/{id}", "/api/items/" + p.id());
      } else if (r < 75) {
        get("GET /api/facets", "/api/facets?gender=" + BenchLoadCommand.enc(p.attribute("gender")));
      } else if (r < 85) {
        get("GET /health", "/health");
      } else {
        post(PHOTO, photos.get(random.nextInt(photos.size())), deadline);
      }
    }
  }

  private void photos(Random random, long deadline, long maxRequests) {
    while (more(deadline, maxRequests)) {
      post(PHOTO, photos.get(random.nextInt(photos.size())), deadline);
    }
  }

  private void oversized(long deadline, long maxRequests) {
    while (more(deadline, maxRequests)) {
      long retryAfter = post(OVERSIZED, bigPng, deadline);
      if (retryAfter > 0) {
        long sleep =
            Math.min(retryAfter * 1000, Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void get(String route, String path) {
    send(route, HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /**
   * Uploads {@code image}; returns the Retry-After seconds of a refusal (429, or 503 from builds
   * before 429), else 0.
   */
  private long post(String route, byte[] image, long deadline) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(image.length + 256);
    body.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"upload\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(image);
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> response =
        send(
            route,
            HttpRequest.newBuilder(base.resolve("/api/search?k=10"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    if (response != null && (response.statusCode() == 429 || response.statusCode() == 503)) {
      return response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
    }
    return 0;
  }

  private HttpResponse<byte[]> send(String route, HttpRequest.Builder request) {
    RouteStats stats = routes.computeIfAbsent(route, r -> new RouteStats());
    long t0 = System.nanoTime();
    try {
      HttpResponse<byte[]> response =
          client.send(
              request.timeout(Duration.ofSeconds(120)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      stats.record(response.statusCode(), System.nanoTime() - t0);
      return response;
    } catch (IOException e) {
      stats.transportError(e.getClass().getSimpleName());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Latencies and statuses of one route. Thread-safe. */
  static final class RouteStats {
    private final List<Long> nanos = new ArrayList<>();
    private final Map<Integer, Long> statuses = new TreeMap<>();
    private final Map<String, Long> transport = new TreeMap<>();

    synchronized void record(int status, long elapsed) {
      nanos.add(elapsed);
      statuses.merge(status, 1L, Long::sum);
    }

    synchronized void transportError(String kind) {
      transport.merge(kind, 1L, Long::sum);
    }

    synchronized double percentileMs(double q) {
      if (nanos.isEmpty()) {
        return Double.NaN;
      }
      List<Long> sorted = new ArrayList<>(nanos);
      Collections.sort(sorted);
      int at = (int) Math.ceil(q * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, at))) / 1e6;
    }

    synchronized long count() {
      return nanos.size();
    }

    synchronized Map<Integer, Long> statuses() {
      return new TreeMap<>(statuses);
    }

    synchronized Map<String, Long> transport() {
      return new TreeMap<>(transport);
    }
  }

  /** What a run measured. Immutable once built. */
  record Result(double seconds, Map<String, RouteStats> routes) {
    long requests() {
      return routes.values().stream().mapToLong(RouteStats::count).sum();
    }

    double p99(String route) {
      RouteStats s = routes.get(route);
      return s == null ? Double.NaN : s.percentileMs(0.99);
    }

    double p50(String route) {
      RouteStats s = routes.get(route);
      return s == null ? Double.NaN : s.percentileMs(0.5);
    }

    /** Responses of {@code route} with {@code status}. */
    long countStatus(String route, int status) {
      RouteStats s = routes.get(route);
      return s == null ? 0 : s.statuses().getOrDefault(status, 0L);
    }

    long countStatus(int status) {
      return routes.values().stream().mapToLong(s -> s.statuses().getOrDefault(status, 0L)).sum();
    }

    long count5xx() {
      return routes.values().stream()
          .flatMap(s -> s.statuses().entrySet().stream())
          .filter(e -> e.getKey() >= 500)
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    long transportErrors() {
      return routes.values().stream()
          .flatMap(s -> s.transport().values().stream())
          .mapToLong(Long::longValue)
          .sum();
    }

    void print(PrintWriter out) {
      out.printf(
          Locale.ROOT,
          "%-40s %8s %8s %9s %9s  %s%n",
          "route",
          "requests",
          "req/s",
          "p50_ms",
          "p99_ms",
          "statuses");
      routes.forEach(
          (route, s) ->
              out.printf(
                  Locale.ROOT,
                  "%-40s %8d %8.1f %9.1f %9.1f  %s%s%n",
                  route,
                  s.count(),
                  s.count() / seconds,
                  s.percentileMs(0.5),
                  s.percentileMs(0.99),
                  s.statuses(),
                  s.transport().isEmpty() ? "" : " transport errors " + s.transport()));
    }
  }
}
