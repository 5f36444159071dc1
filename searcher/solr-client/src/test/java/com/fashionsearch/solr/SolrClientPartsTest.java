package com.fashionsearch.solr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.CatalogColumns;
import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.searcher.ProductIds;
import com.fashionsearch.searcher.SearchFilters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.solr.common.SolrInputDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SolrCloud backend's parts that need no cluster: configset, target, filters, documents, order.
 */
class SolrClientPartsTest {

  @Test
  void configsetZipCarriesTheEmbeddersDimension() throws IOException {
    Map<String, String> files = unzip(SolrConfigset.zip(512));
    assertEquals(SolrConfigset.FILES, List.copyOf(files.keySet()));
    String schema = files.get("managed-schema.xml");
    assertTrue(schema.contains("vectorDimension=\"512\""), schema);
    assertTrue(schema.contains("similarityFunction=\"dot_product\""));
    for (String attribute : CatalogColumns.ATTRIBUTES) {
      assertTrue(schema.contains("<field name=\"" + attribute + "\""), attribute);
    }
    assertTrue(
        SolrConfigset.file("managed-schema.xml").contains("vectorDimension=\"4096\""),
        "ships for VGG16");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SolrConfigset.zip(5000));
    assertTrue(e.getMessage().contains("5000"), e.getMessage());
  }

  @Test
  void targetIsValidatedNamingTheBadValue() {
    SolrTarget urls = SolrTarget.urls("http://a:8983/solr, http://b:8983/solr", "fashion");
    assertEquals(List.of("http://a:8983/solr", "http://b:8983/solr"), urls.solrUrls());
    assertEquals("zk1:2181/solr", SolrTarget.zk("zk1:2181/solr", "fashion").zkHost());
    IllegalArgumentException name =
        assertThrows(
            IllegalArgumentException.class,
            () -> SolrTarget.urls("http://a:8983/solr", "bad name"));
    assertTrue(name.getMessage().contains("'bad name'"), name.getMessage());
    IllegalArgumentException scheme =
        assertThrows(
            IllegalArgumentException.class, () -> SolrTarget.urls("a:8983/solr", "fashion"));
    assertTrue(scheme.getMessage().contains("a:8983/solr"), scheme.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new SolrTarget("zk:2181", List.of("http://a/solr"), "fashion"));
  }

  @Test
  void aTimeoutOutsideOneSecondToTenMinutesIsRefusedNamingIt() throws IOException {
    SolrTarget target = SolrTarget.urls("http://127.0.0.1:1/solr", "fashion");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> target.connect(Duration.ofMillis(500)));
    assertTrue(e.getMessage().contains("0.5 s"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> target.connect(Duration.ofMinutes(11)));
  }

  /** A node that accepts connections and never answers (a frozen process) costs a bounded wait. */
  @Test
  @Timeout(60)
  void aNodeThatNeverAnswersFailsTheOpenWithinTheTimeout() throws IOException {
    try (ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      SolrTarget target =
          SolrTarget.urls("http://127.0.0.1:" + frozen.getLocalPort() + "/solr", "fashion");
      long start = System.nanoTime();
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () ->
                  SolrProductSearcher.open(target, (m, w) -> null, Duration.ofSeconds(2)).close());
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < 20_000, "gave up after " + ms + " ms: " + e);
      assertTrue(
          String.valueOf(e.getMessage()).contains(Integer.toString(frozen.getLocalPort())),
          e.getMessage());
    }
  }

  @Test
  void filtersBecomeOneFilterQueryEach() {
    SearchFilters filters =
        SearchFilters.NONE
            .and("articleType", "Sports Shoes")
            .and("gender", "Men")
            .years(Optional.of(2011), Optional.empty());
    assertEquals(
        List.of(
            SolrSchema.PRODUCTS_ONLY,
            "{!term f=articleType}Sports Shoes",
            "{!term f=gender}Men",
            "year:[2011 TO *]"),
        SolrFilters.toFilterQueries(filters));
    assertEquals(
        List.of(SolrSchema.PRODUCTS_ONLY, "{!lucene q.op=OR df=text}masterCategory:Footwear"),
        SolrFilters.toFilterQueries(SearchFilters.expression("masterCategory:Footwear")));
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> SolrFilters.toFilterQueries(SearchFilters.expression("embedding:x")));
    assertTrue(unknown.getMessage().contains("embedding"), unknown.getMessage());
    assertEquals("-id:a\\:b\\ c", SolrFilters.excluding("a:b c"));
  }

  @Test
  void documentsCarryTheVectorTwiceAndMetadataRoundTrips() {
    float[] v = {0.6f, 0.8f, 0f};
    Map<String, String> attributes = new HashMap<>();
    CatalogColumns.ATTRIBUTES.forEach(a -> attributes.put(a, ""));
    attributes.put("gender", "Women");
    attributes.put("year", "2012");
    attributes.put("productDisplayName", "Blue Shirt");
    SolrInputDocument doc =
        SolrProductDocuments.toDocument(
            new Product("42", attributes, Path.of("images", "42.jpg")), v);
    assertEquals("42", doc.getFieldValue("id"));
    assertEquals("Women", doc.getFieldValue("gender"));
    assertEquals(2012, doc.getFieldValue("year"));
    assertEquals(null, doc.getFieldValue("season"), "empty attributes are left out");
    assertEquals("42.jpg", doc.getFieldValue("image"));
    assertEquals(3, doc.getFieldValues("embedding").size());
    assertArrayEquals(
        v, SolrProductDocuments.fromBytes((byte[]) doc.getFieldValue(SolrSchema.VECTOR_BYTES), 3));
    IllegalArgumentException norm =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SolrProductDocuments.toDocument(
                    new Product("7", attributes, Path.of("7.jpg")), new float[] {1f, 1f}));
    assertTrue(norm.getMessage().contains("product 7"), norm.getMessage());

    IndexMetadata metadata =
        new IndexMetadata(
            1,
            "vgg16",
            "random:42",
            false,
            4096,
            "DOT_PRODUCT",
            "solr",
            "/data/c",
            3,
            990,
            Map.of("embedded", 990));
    SolrInputDocument meta = SolrProductDocuments.metadataDocument(metadata);
    assertEquals(
        metadata,
        SolrProductDocuments.metadataOf((String) meta.getFieldValue(SolrSchema.METADATA)));
  }

  @Test
  void idsOrderNumericallyWhenBothAreNumbers() {
    assertTrue(ProductIds.compare("9", "10") < 0);
    assertTrue(ProductIds.compare("010", "9") > 0);
    assertTrue(ProductIds.compare("10", "a") < 0);
    assertEquals(0, ProductIds.compare("007", "7"));
  }

  private static Map<String, String> unzip(byte[] zip) throws IOException {
    Map<String, String> files = new java.util.LinkedHashMap<>();
    try (ZipInputStream in =
        new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return files;
  }
}
