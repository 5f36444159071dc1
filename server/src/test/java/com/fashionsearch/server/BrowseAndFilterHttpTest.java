package com.fashionsearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.SearchText;
import com.fashionsearch.searcher.TestIndexes;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog listing, facet menus that take several values, repeated filter parameters, and the
 * errors Jetty answers before any route (a URL too long): the real server over {@link TestCatalog}.
 */
class BrowseAndFilterHttpTest {
  @TempDir static Path dir;
  private static LuceneProductSearcher searcher;
  private static RunningServer server;
  private static Http http;

  @BeforeAll
  static void start() throws Exception {
    TestCatalog.write(dir.resolve("catalog"), dir.resolve("index"), false);
    searcher =
        LuceneProductSearcher.open(
            dir.resolve("index"),
            (m, w) -> new TestIndexes.ColourEmbedder(false),
            KnnTuning.DEFAULT);
    server = FashionServer.start(searcher, ServerConfig.forIndex(dir.resolve("index")).withPort(0));
    http = new Http(server.url());
  }

  @AfterAll
  static void stop() {
    server.close();
    searcher.close();
  }

  @Test
  void theServerListensOnLoopbackByDefault() {
    assertTrue(
        server.url().contains("127.0.0.1") || server.url().contains("localhost"), server.url());
    assertEquals("127.0.0.1", ServerConfig.forIndex(dir.resolve("index")).host());
  }

  @Test
  void browseListsTheFilteredCatalogPageByPage() throws Exception {
    // Footwear by subCategory (Sandal < Shoes), then articleType (Casual Shoes < Heels < Sports
    // Shoes)
    assertEquals(List.of("8", "1"), ids(ok("/api/items?masterCategory=Footwear&k=2")));
    assertEquals(List.of("2", "5"), ids(ok("/api/items?masterCategory=Footwear&k=2&offset=2")));
    assertEquals(List.of(), ids(ok("/api/items?masterCategory=Footwear&k=2&offset=4")));
    JsonNode all = ok("/api/items?k=100");
    assertEquals(10, all.get("results").size());
    assertEquals(10, new TreeSet<>(ids(all)).size(), "no product twice");
    all.get("results").forEach(r -> assertEquals(0.0, r.get("score").asDouble()));
    assertEquals("Accessories", all.get("results").get(0).get("masterCategory").asText());
    assertError(http.get("/api/items?exact=true"), 400, "exact");
    assertError(http.get("/api/items?k=0"), 400, "k=0");
  }

  @Test
  void aRepeatedAttributeMeansAnyOfItsValuesAndAttributesCombineWithAnd() throws Exception {
    JsonNode redOrBlueFootwear =
        ok("/api/items?baseColour=Red&baseColour=Blue&masterCategory=Footwear&k=100");
    assertEquals(new TreeSet<>(List.of("1", "2", "5")), new TreeSet<>(ids(redOrBlueFootwear)));
    JsonNode similar =
        ok("/api/items/3/similar?k=100&gender=Men&gender=Women&masterCategory=Footwear");
    assertEquals(new TreeSet<>(List.of("1", "2", "5", "8")), new TreeSet<>(ids(similar)));
    Http.Response search =
        http.postMultipart(
            "/api/search?baseColour=Green&baseColour=Black&k=100",
            Map.of("image", TestCatalog.png(0xE01010)),
            Map.of());
    assertEquals(
        new TreeSet<>(List.of("6", "8", "9")), new TreeSet<>(ids(search.json())), search.text());
    assertError(http.get("/api/items?k=2&k=3"), 400, "k takes one value");
    assertError(
        http.get("/api/facets?yearFrom=2010&yearFrom=2011"), 400, "yearFrom takes one value");
  }

  @Test
  void eachFacetMenuIsCountedUnderTheOtherFilters() throws Exception {
    JsonNode red = ok("/api/facets?baseColour=Red");
    assertEquals(4, red.get("matching").asInt());
    // the colour menu still offers every colour, the other menus count the red products
    assertEquals(Map.of("Red", 4, "Blue", 3, "Green", 2, "Black", 1), counts(red, "baseColour"));
    assertEquals(Map.of("Men", 2, "Women", 2), counts(red, "gender"));

    JsonNode redOrGreenWomen = ok("/api/facets?baseColour=Red&baseColour=Green&gender=Women");
    assertEquals(4, redOrGreenWomen.get("matching").asInt());
    assertEquals(Map.of("Red", 2, "Blue", 1, "Green", 2), counts(redOrGreenWomen, "baseColour"));
    assertEquals(Map.of("Men", 2, "Women", 4), counts(redOrGreenWomen, "gender"));
    assertEquals(
        Map.of("Footwear", 2, "Accessories", 1, "Apparel", 1),
        counts(redOrGreenWomen, "masterCategory"));
  }

  @Test
  void aTextOfTooManyWordsIsRefusedSayingWhy() throws Exception {
    String text = String.join(" ", Collections.nCopies(1025, "shoes"));
    Http.Response r = http.postMultipart("/api/search", Map.of(), Map.of("text", text));
    assertError(r, 400, "1025 words", "more than the " + SearchText.MAX_WORDS);
    Http.Response hybrid =
        http.postMultipart(
            "/api/search", Map.of("image", TestCatalog.png(0xE01010)), Map.of("text", text));
    assertError(hybrid, 400, "1025 words");
    assertEquals(
        200, http.postMultipart("/api/search", Map.of(), Map.of("text", "red shoes")).status());
  }

  @Test
  void errorsJettyAnswersItselfTakeTheJsonShape() throws Exception {
    Http.Response longUrl = http.get("/api/items?filter=" + "a".repeat(9000));
    assertError(longUrl, 414, "URL is too long");
    assertTrue(longUrl.contentType().startsWith("application/json"), longUrl.contentType());
    assertEquals(200, http.get("/api/items?k=1").status(), "the server keeps serving");
  }

  private static JsonNode ok(String path) throws Exception {
    Http.Response r = http.get(path);
    assertEquals(200, r.status(), path + ": " + r.text());
    return r.json();
  }

  private static Map<String, Integer> counts(JsonNode facets, String attribute) {
    Map<String, Integer> counts = new TreeMap<>();
    facets
        .get("facets")
        .get(attribute)
        .fields()
        .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
    return counts;
  }

  private static List<String> ids(JsonNode results) {
    List<String> ids = new ArrayList<>();
    results.get("results").forEach(r -> ids.add(r.get("id").asText()));
    return ids;
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
}
