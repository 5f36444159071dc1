package com.fashionsearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.Product;
import com.fashionsearch.searcher.GrayGridEmbedder;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import com.fashionsearch.solr.SolrProductSearcher;
import com.fashionsearch.solr.SolrTarget;
import com.fashionsearch.solr.SolrTestCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP API over the SolrCloud backend: the Javalin server over a {@link SolrProductSearcher} on
 * the test cluster (fashion-1k in a 2-shard collection, {@link SolrTestCloud}), the same routes and
 * error shape as over the local index.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SolrBackendHttpTest {
  private SolrTestCloud cloud;
  private SolrProductSearcher searcher;
  private RunningServer server;
  private Http http;

  @BeforeAll
  void start() throws Exception {
    cloud = SolrTestCloud.get();
    searcher =
        SolrProductSearcher.open(
            SolrTarget.zk(cloud.zkHost(), SolrTestCloud.ALIAS), (m, w) -> new GrayGridEmbedder());
    server =
        FashionServer.start(
            searcher,
            ServerConfig.forIndex(ServedIndex.solr(cloud.zkHost(), SolrTestCloud.ALIAS))
                .withHost("127.0.0.1")
                .withPort(0));
    http = new Http(server.url());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (searcher != null) {
      searcher.close();
    }
  }

  private static List<String> ids(JsonNode results) {
    List<String> ids = new ArrayList<>();
    results.get("results").forEach(r -> ids.add(r.get("id").asText()));
    return ids;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private Product firstIn(String masterCategory) {
    return cloud.catalog().products().values().stream()
        .filter(p -> p.attribute("masterCategory").equals(masterCategory))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void similarWithAFilterAnswersAsTheSearcher() throws Exception {
    Product shoe = firstIn("Footwear");
    Http.Response r =
        http.get("/api/items/" + shoe.id() + "/similar?k=5&offset=2&masterCategory=Footwear");
    assertEquals(200, r.status(), r.text());
    JsonNode json = r.json();
    List<String> ids = ids(json);
    assertEquals(5, ids.size(), r.text());
    assertFalse(ids.contains(shoe.id()));
    json.get("results")
        .forEach(x -> assertEquals("Footwear", x.get("masterCategory").asText(), x.toString()));
    List<String> direct =
        searcher
            .similarToItem(
                shoe.id(),
                SearchFilters.NONE.and("masterCategory", "Footwear"),
                new SearchOptions(5, 2, false))
            .hits()
            .stream()
            .map(h -> h.item().id())
            .toList();
    assertEquals(direct, ids);
    assertEquals(searcher.info().generation(), json.get("index").get("generation").asLong());
  }

  @Test
  void searchByImageUploadFindsTheImagesProduct() throws Exception {
    Product shoe = firstIn("Footwear");
    byte[] jpeg = Files.readAllBytes(shoe.image());
    Http.Response r =
        http.postMultipart(
            "/api/search?k=3&masterCategory=Footwear", Map.of("image", jpeg), Map.of());
    assertEquals(200, r.status(), r.text());
    List<String> ids = ids(r.json());
    assertEquals(shoe.id(), ids.get(0), r.text());
    assertEquals(3, ids.size());
    Http.Response image = http.get("/images/" + shoe.id());
    assertEquals(200, image.status(), image.text());
    assertEquals(jpeg.length, image.body().length, "the product's own image file");

    Http.Response hybrid =
        http.postMultipart(
            "/api/search?k=5",
            Map.of("image", jpeg),
            Map.of("text", shoe.attribute("productDisplayName")));
    assertEquals(200, hybrid.status(), hybrid.text());
    assertTrue(ids(hybrid.json()).subList(0, 3).contains(shoe.id()), hybrid.text());
  }

  @Test
  void facetsCountTheFilteredSet() throws Exception {
    Http.Response r = http.get("/api/facets?gender=Women&yearFrom=2012");
    assertEquals(200, r.status(), r.text());
    JsonNode json = r.json();
    long expected =
        cloud.catalog().products().values().stream()
            .filter(
                p ->
                    p.attribute("gender").equals("Women")
                        && !p.attribute("year").isEmpty()
                        && Integer.parseInt(p.attribute("year")) >= 2012)
            .count();
    assertTrue(expected > 10, "fixture: " + expected);
    assertEquals(expected, json.get("matching").asLong(), r.text());
    assertEquals(expected, json.get("facets").get("gender").get("Women").asLong(), r.text());
    // the gender menu is counted under the other filters only: it still offers the other genders
    assertTrue(json.get("facets").get("gender").size() > 1, r.text());
  }

  @Test
  void errorsFromSolrTakeTheProductsErrorShape() throws Exception {
    // the local parser reads year:2012.5 as 2012; Solr refuses it with HTTP 400
    Http.Response refused = http.get("/api/facets?filter=" + enc("year:2012.5"));
    assertEquals(400, refused.status(), refused.text());
    JsonNode error = refused.json().get("error");
    assertEquals(400, error.get("status").asInt());
    assertTrue(error.get("message").asText().contains("Solr refused the query"), refused.text());
    assertTrue(error.get("message").asText().contains(SolrTestCloud.ALIAS + "_g"), refused.text());

    Http.Response unknownField =
        http.get("/api/items/" + firstIn("Apparel").id() + "/similar?filter=" + enc("fabric:Silk"));
    assertEquals(400, unknownField.status(), unknownField.text());
    assertTrue(
        unknownField.json().get("error").get("message").asText().contains("fabric"),
        unknownField.text());

    Http.Response unknownId = http.get("/api/items/no-such-id/similar");
    assertEquals(404, unknownId.status(), unknownId.text());
    assertEquals(404, unknownId.json().get("error").get("status").asInt());
  }

  @Test
  void healthNamesTheBackendAndTheCollection() throws Exception {
    JsonNode health = http.get("/health").json();
    assertEquals("ok", health.get("status").asText());
    assertEquals("solr", health.get("backend").get("name").asText(), health.toString());
    assertEquals(SolrTestCloud.ALIAS, health.get("backend").get("collection").asText());
    assertEquals(cloud.zkHost(), health.get("backend").get("location").asText());
    assertEquals(cloud.catalog().products().size(), health.get("index").get("documents").asInt());
    assertEquals("gray-grid", health.get("index").get("model").asText());

    assertThrows(
        IllegalStateException.class,
        () ->
            FashionServer.start(
                ServerConfig.forIndex(ServedIndex.solr(cloud.zkHost(), SolrTestCloud.ALIAS))),
        "a config for SolrCloud does not open a local index");
  }
}
