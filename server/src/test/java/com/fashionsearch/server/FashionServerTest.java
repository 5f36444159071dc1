package com.fashionsearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.TestIndexes;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server on a free port, spoken to over HTTP, error bodies included. */
class FashionServerTest {
  @TempDir static Path dir;
  private static LuceneProductSearcher searcher;
  private static RunningServer server;
  private static Http http;
  static final int MAX_UPLOAD = 64 * 1024;

  @BeforeAll
  static void start() throws Exception {
    TestCatalog.write(dir.resolve("catalog"), dir.resolve("index"), false);
    searcher =
        LuceneProductSearcher.open(
            dir.resolve("index"),
            (m, w) -> new TestIndexes.ColourEmbedder(false),
            KnnTuning.DEFAULT);
    server =
        FashionServer.start(
            searcher,
            ServerConfig.forIndex(dir.resolve("index"))
                .withHost("127.0.0.1")
                .withPort(0)
                .withMaxUploadBytes(MAX_UPLOAD)
                .withReloadInterval(Duration.ofMillis(200)));
    http = new Http(server.url());
  }

  @AfterAll
  static void stop() {
    server.close();
    searcher.close();
  }

  private static void assertError(Http.Response r, int status, String... mentions)
      throws Exception {
    assertEquals(status, r.status(), r.text());
    JsonNode error = r.json().get("error");
    assertEquals(status, error.get("status").asInt(), r.text());
    for (String m : mentions) {
      assertTrue(
          error.get("message").asText().contains(m),
          "'" + m + "' not in: " + error.get("message").asText());
    }
  }

  private static List<String> ids(JsonNode results) {
    List<String> ids = new ArrayList<>();
    results.get("results").forEach(r -> ids.add(r.get("id").asText()));
    return ids;
  }

  @Test
  void itemAndSimilarWithFilters() throws Exception {
    JsonNode item = http.get("/api/items/5").json().get("item");
    assertEquals("Sports Shoes", item.get("articleType").asText());
    assertEquals("Blue Sports Shoes", item.get("productDisplayName").asText());
    assertEquals("/images/5", item.get("image").asText());

    Http.Response similar = http.get("/api/items/3/similar?k=3&masterCategory=Footwear");
    assertEquals(200, similar.status(), similar.text());
    JsonNode json = similar.json();
    assertEquals(List.of("2", "1", "5"), ids(json));
    json.get("results").forEach(r -> assertEquals("Footwear", r.get("masterCategory").asText()));
    assertTrue(json.get("warning").asText().contains("UNTRAINED"));
    assertTrue(json.has("took_ms"));

    JsonNode page =
        http.get(
                "/api/items/3/similar?k=2&offset=1&filter="
                    + enc("gender:Women AND year:[2011 TO 2013]"))
            .json();
    // Women from 2011 to 2013 nearest to the red t-shirt: 2 (red), 10 (red), 8 (green), ...
    assertEquals(List.of("10", "8"), ids(page));
  }

  @Test
  void imageTextAndHybridUploads() throws Exception {
    Http.Response image =
        http.postMultipart("/api/search?k=2", Map.of("image", TestCatalog.png(0x20D020)), Map.of());
    assertEquals(200, image.status(), image.text());
    assertEquals(List.of("8", "6"), ids(image.json()));

    Http.Response footwear =
        http.postMultipart(
            "/api/search",
            Map.of("image", TestCatalog.png(0xE01010)),
            Map.of("masterCategory", "Footwear", "k", "10"));
    assertEquals(List.of("1", "2", "5", "8"), ids(footwear.json()));

    Http.Response text = http.postMultipart("/api/search", Map.of(), Map.of("text", "shoes"));
    assertEquals(200, text.status(), text.text());
    assertEquals(List.of("1", "5"), ids(text.json()));

    Http.Response hybrid =
        http.postMultipart(
            "/api/search?k=1", Map.of("image", TestCatalog.png(0xE01010)), Map.of("text", "top"));
    assertEquals(List.of("10"), ids(hybrid.json()));
  }

  @Test
  void hostileInputGetsA4xxAndTheServerKeepsServing() throws Exception {
    assertError(http.get("/api/items/404"), 404, "404");
    assertError(http.get("/api/items/404/similar"), 404, "404");
    assertError(http.get("/api/items/3/similar?k=500"), 400, "k=500", "between 1 and 100");
    assertError(http.get("/api/items/3/similar?k=0"), 400, "k=0");
    assertError(http.get("/api/items/3/similar?k=ten"), 400, "k=ten");
    assertError(http.get("/api/items/3/similar?offset=-1"), 400, "offset=-1");
    assertError(http.get("/api/items/3/similar?colour=Red"), 400, "colour");
    assertError(http.get("/api/items/3/similar?filter=" + enc("colour:Red")), 400, "colour");
    assertError(http.get("/api/items/3/similar?filter=" + enc("gender:(Men")), 400, "gender:(Men");
    assertError(http.get("/api/facets?yearFrom=2014&yearTo=2010"), 400, "2014");
    assertError(http.get("/api/nothing"), 404, "/api/nothing");

    assertError(
        http.postMultipart(
            "/api/search",
            Map.of("image", "hello, not an image".getBytes(StandardCharsets.UTF_8)),
            Map.of()),
        415,
        "not-an-image");
    byte[] png = TestCatalog.png(0x123456);
    assertError(
        http.postMultipart(
            "/api/search", Map.of("image", Arrays.copyOf(png, png.length / 2)), Map.of()),
        400,
        "corrupt");
    assertError(
        http.postMultipart("/api/search", Map.of("image", TestCatalog.pngBomb()), Map.of()),
        413,
        "too-large");
    byte[] huge = new byte[MAX_UPLOAD * 2];
    System.arraycopy(png, 0, huge, 0, png.length);
    Http.Response tooBig = http.postMultipart("/api/search", Map.of("image", huge), Map.of());
    assertEquals(413, tooBig.status(), tooBig.text());
    assertError(http.postMultipart("/api/search", Map.of(), Map.of()), 400, "image");
    assertError(
        http.post("/api/search", "application/json", "{}".getBytes(StandardCharsets.UTF_8)),
        415,
        "multipart");

    assertError(http.get("/images/404"), 404, "404");
    Http.Response traversal = http.get("/images/..%2F..%2F..%2Fetc%2Fpasswd");
    assertTrue(
        traversal.status() >= 400 && traversal.status() < 500,
        traversal.status() + " " + traversal.text());
    assertFalse(traversal.text().contains("root:"), traversal.text());
    Http.Response dots = http.get("/images/..");
    assertTrue(dots.status() >= 400 && dots.status() < 500, dots.status() + " " + dots.text());

    assertEquals(200, http.get("/health").status());
    assertEquals(200, http.get("/api/items/3/similar").status());
  }

  @Test
  void imagesFacetsHealthAndMetrics() throws Exception {
    Http.Response image = http.get("/images/4");
    assertEquals(200, image.status());
    assertEquals("image/png", image.contentType());
    assertEquals(
        0x1010E0,
        javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(image.body())).getRGB(5, 5)
            & 0xffffff);

    JsonNode facets = http.get("/api/facets?masterCategory=Footwear").json();
    assertEquals(4, facets.get("matching").asInt());
    assertEquals(2, facets.get("facets").get("gender").get("Men").asInt());
    assertEquals(2, facets.get("facets").get("baseColour").get("Red").asInt());

    JsonNode health = http.get("/health").json();
    assertEquals("lucene", health.get("backend").get("name").asText(), health.toString());
    assertEquals(
        dir.resolve("index").toAbsolutePath().normalize().toString(),
        health.get("backend").get("location").asText());
    assertFalse(health.get("backend").has("collection"));
    assertEquals(10, health.get("index").get("documents").asInt());
    assertEquals(TestIndexes.MODEL, health.get("index").get("model").asText());
    assertFalse(health.get("index").get("pretrained").asBoolean());
    assertTrue(health.get("index").get("learned").isNull(), "no learned projection: " + health);
    assertTrue(health.get("warning").asText().contains("UNTRAINED"));

    http.get("/api/items/1/similar");
    String metrics = http.get("/metrics").text();
    assertTrue(
        metrics.contains(
            "http_server_requests_seconds_count{method=\"GET\",route=\"/api/items/{id}/similar\",status=\"200\"}"),
        metrics);
  }

  @Test
  void openApiDocumentsEveryRegisteredRoute() throws Exception {
    JsonNode paths = http.get("/openapi.json").json().get("paths");
    assertFalse(server.routes().isEmpty());
    for (String route : server.routes()) {
      String[] methodAndPath = route.split(" ", 2);
      JsonNode path = paths.get(methodAndPath[1]);
      assertTrue(
          path != null && path.has(methodAndPath[0].toLowerCase(java.util.Locale.ROOT)),
          "undocumented route: " + route);
    }
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
