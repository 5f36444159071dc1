package com.fashionsearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.searcher.CatalogItem;
import com.fashionsearch.searcher.FacetCounts;
import com.fashionsearch.searcher.IndexInfo;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.ProductSearcher;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import com.fashionsearch.searcher.SearchResults;
import com.fashionsearch.searcher.TestIndexes;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's limits over HTTP: concurrent large uploads beyond the budget get 429 with {@code
 * Retry-After} (never a 5xx) while cheap requests answer; a too-large header or body gets the JSON
 * error shape.
 */
class UploadLimitsTest {
  private static final String BOUNDARY = "----fashion-limits-boundary";

  @TempDir static Path dir;
  private static LuceneProductSearcher lucene;
  private static GatedSearcher searcher;
  private static RunningServer server;
  private static byte[] largePng;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    TestCatalog.write(dir.resolve("catalog"), dir.resolve("index"), false);
    lucene =
        LuceneProductSearcher.open(
            dir.resolve("index"),
            (m, w) -> new TestIndexes.ColourEmbedder(false),
            KnnTuning.DEFAULT);
    searcher = new GatedSearcher(lucene);
    // 3000 x 3000 decodes to 600 x 600 (360,000 pixels): the 0.8-megapixel budget holds two at once
    ServerLimits limits =
        ServerLimits.DEFAULT
            .withUploads(4, 4, 4, 800_000, Duration.ofMillis(1500))
            .withHttp(40, 2048, Duration.ofSeconds(5), 1024);
    server =
        FashionServer.start(
            searcher,
            ServerConfig.forIndex(dir.resolve("index"))
                .withHost("127.0.0.1")
                .withPort(0)
                .withMaxUploadBytes(256 * 1024)
                .withLimits(limits));
    BufferedImage image = TestIndexes.solid(0xE01010, 3000, 3000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    largePng = out.toByteArray();
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    lucene.close();
  }

  @Test
  void uploadsBeyondTheBudgetGet429WithRetryAfterWhileCheapRequestsAnswer() throws Exception {
    searcher.hold();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      // two uploads take the whole pixel budget and wait in the search
      List<Future<HttpResponse<String>>> holders = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        holders.add(pool.submit(() -> upload(largePng)));
      }
      assertTrue(
          searcher.awaitBlocked(2, Duration.ofSeconds(20)), "two uploads should reach the search");
      // a third fits the queue (4) but not the pixels: it waits 1.5 s, then 429
      HttpResponse<String> third = upload(largePng);
      assertBusy(third, "decoded pixels");
      // an ordinary photo needs little of the budget: it is served while the large ones hold theirs
      HttpResponse<String> photo = upload(TestCatalog.png(0x1010E0));
      assertEquals(200, photo.statusCode(), photo.body());
      assertEquals(
          "4",
          mapper(photo).get("results").get(0).get("id").asText(),
          "the blue photo finds the blue top");
      // six at once: two more are admitted and time out, the rest find the queue full at once
      List<Future<HttpResponse<String>>> flood = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        flood.add(pool.submit(() -> upload(largePng)));
      }
      // while uploads wait, cheap requests answer at once
      for (String path : List.of("/health", "/api/items/1", "/api/facets", "/metrics")) {
        long start = System.nanoTime();
        HttpResponse<String> r = get(path);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(ms < 1000, path + " took " + ms + " ms while uploads queued");
      }
      int queueFull = 0;
      for (Future<HttpResponse<String>> f : flood) {
        HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
        assertBusy(r, "");
        if (r.body().contains("busy with 4 image uploads")) {
          queueFull++;
        }
      }
      assertTrue(
          queueFull >= 4, "at least 4 of the 6 should find the queue full, got " + queueFull);
      searcher.open();
      for (Future<HttpResponse<String>> f : holders) {
        HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
            "1",
            mapper(r).get("results").get(0).get("id").asText(),
            "the red upload finds the red shoes");
      }
      // the budget is free again: an upload succeeds at once
      assertEquals(200, upload(largePng).statusCode());
    } finally {
      searcher.open();
      pool.shutdownNow();
    }
  }

  @Test
  void aTooLargeHeaderGetsTheJsonErrorShape() throws Exception {
    String response =
        raw(
            "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: "
                + "a".repeat(4096)
                + "\r\nConnection: close\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 431"), response);
    assertTrue(response.contains("application/json"), response);
    JsonNode error =
        ResultJson.MAPPER
            .readTree(response.substring(response.indexOf("\r\n\r\n") + 4))
            .get("error");
    assertEquals(431, error.get("status").asInt());
    assertTrue(error.get("message").asText().contains("headers too large"), error.toString());
  }

  @Test
  void aTooLargeBodyGetsTheJsonErrorShape() throws Exception {
    byte[] big = new byte[400 * 1024];
    HttpResponse<String> r = CLIENT.send(multipart(big), HttpResponse.BodyHandlers.ofString());
    assertEquals(413, r.statusCode(), r.body());
    assertEquals(413, mapper(r).get("error").get("status").asInt());
    assertTrue(
        mapper(r).get("error").get("message").asText().contains("exceeds the limit"), r.body());
  }

  @Test
  void limitsRejectBadValuesByName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServerLimits.DEFAULT.withUploads(0, 4, 1_000_000, Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("uploadWorkers must be at least 1, got: 0"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServerLimits.DEFAULT.withUploads(2, 195, 1_000_000, Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("maxThreads"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServerLimits.DEFAULT.withUploads(2, 4, 1000, Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("got: 1000"), e.getMessage());
    assertEquals(
        3,
        ServerLimits.DEFAULT
            .withUploads(2, 4, 1_000_000, Duration.ofMillis(2001))
            .retryAfterSeconds());
  }

  private static void assertBusy(HttpResponse<String> r, String mention) throws IOException {
    assertEquals(429, r.statusCode(), r.body());
    assertEquals(Optional.of("2"), r.headers().firstValue("Retry-After"), r.headers().toString());
    JsonNode error = mapper(r).get("error");
    assertEquals(429, error.get("status").asInt(), r.body());
    assertTrue(error.get("message").asText().contains(mention), r.body());
  }

  private static JsonNode mapper(HttpResponse<String> r) throws IOException {
    return ResultJson.MAPPER.readTree(r.body());
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> upload(byte[] png) throws IOException, InterruptedException {
    return CLIENT.send(multipart(png), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest multipart(byte[] bytes) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"large.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(bytes);
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(URI.create(server.url() + "/api/search?k=3"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .build();
  }

  /** Sends {@code request} as it is over a socket and returns the whole response. */
  private static String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void largeImagesTakeAtMostTheirShareOfTheWorkers() {
    ServerLimits limits =
        ServerLimits.DEFAULT.withUploads(2, 1, 8, 4_000_000, Duration.ofMillis(100));
    UploadBudget budget = new UploadBudget(limits);
    try (UploadBudget.Ticket first = budget.admit();
        UploadBudget.Ticket second = budget.admit();
        UploadBudget.Ticket third = budget.admit();
        UploadBudget.Ticket photo = budget.admit()) {
      first.reserve(49_000_000, 405_769);
      ServerBusyException e =
          assertThrows(ServerBusyException.class, () -> second.reserve(49_000_000, 405_769));
      assertTrue(e.getMessage().contains("workers for large images"), e.getMessage());
      assertEquals(1, e.retryAfterSeconds());
      // one large image runs and one waits: a third is refused at once, without waiting
      long start = System.nanoTime();
      e = assertThrows(ServerBusyException.class, () -> third.reserve(49_000_000, 405_769));
      assertTrue(e.getMessage().contains("busy with 2 large images"), e.getMessage());
      assertTrue(System.nanoTime() - start < 90_000_000L, "refused without waiting");
      photo.reserve(60 * 80, 60 * 80); // the other worker stays free for ordinary photos
      assertEquals(4, budget.admitted());
    }
    assertEquals(0, budget.admitted());
    assertEquals(2, budget.refused());
    try (UploadBudget.Ticket again = budget.admit()) {
      again.reserve(49_000_000, 405_769); // everything was given back
    }
  }

  /**
   * A searcher whose searches of images over 100 pixels wide wait until it is opened. Thread-safe.
   */
  static final class GatedSearcher implements ProductSearcher {
    private final ProductSearcher delegate;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final AtomicInteger blocked = new AtomicInteger();

    GatedSearcher(ProductSearcher delegate) {
      this.delegate = delegate;
    }

    /** Image searches wait from now until {@link #open()}. */
    void hold() {
      gate = new CountDownLatch(1);
      blocked.set(0);
    }

    @Override
    public void close() {
      // the delegate is closed by the test
    }

    void open() {
      gate.countDown();
    }

    boolean awaitBlocked(int count, Duration timeout) throws InterruptedException {
      long end = System.nanoTime() + timeout.toNanos();
      while (blocked.get() < count) {
        if (System.nanoTime() > end) {
          return false;
        }
        Thread.sleep(10);
      }
      return true;
    }

    private void pass() {
      blocked.incrementAndGet();
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public IndexInfo info() {
      return delegate.info();
    }

    @Override
    public Optional<CatalogItem> item(String id) {
      return delegate.item(id);
    }

    @Override
    public SearchResults similarToItem(String id, SearchFilters filters, SearchOptions options) {
      return delegate.similarToItem(id, filters, options);
    }

    @Override
    public SearchResults similarToImage(
        BufferedImage image, SearchFilters filters, SearchOptions options) {
      if (image.getWidth() > 100) {
        pass();
      }
      return delegate.similarToImage(image, filters, options);
    }

    @Override
    public SearchResults similarToVector(
        float[] vector, SearchFilters filters, SearchOptions options) {
      return delegate.similarToVector(vector, filters, options);
    }

    @Override
    public SearchResults similarToEmbedding(
        float[] embedding, SearchFilters filters, SearchOptions options) {
      return delegate.similarToEmbedding(embedding, filters, options);
    }

    @Override
    public SearchResults browse(SearchFilters filters, SearchOptions options) {
      return delegate.browse(filters, options);
    }

    @Override
    public SearchResults byText(String text, SearchFilters filters, SearchOptions options) {
      return delegate.byText(text, filters, options);
    }

    @Override
    public SearchResults hybrid(
        BufferedImage image, String text, SearchFilters filters, SearchOptions options) {
      pass();
      return delegate.hybrid(image, text, filters, options);
    }

    @Override
    public FacetCounts facets(SearchFilters filters) {
      return delegate.facets(filters);
    }

    @Override
    public boolean refresh() throws IOException {
      return delegate.refresh();
    }
  }
}
