package com.fashionsearch.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexMetadataTest {
  private static IndexMetadata metadata(int schema, String model, String weights) {
    return new IndexMetadata(
        schema,
        model,
        weights,
        false,
        4096,
        "DOT_PRODUCT",
        "hnsw(m=16,beam=100,none)",
        "/catalog",
        3,
        998,
        Map.of("catalog-rows", 1000, "skipped.image-corrupt", 2));
  }

  @Test
  void roundTripsThroughCommitUserData() {
    IndexMetadata m = metadata(IndexSchema.VERSION, "vgg16", "random:42");
    Map<String, String> data = m.toUserData();
    assertEquals("vgg16", data.get("model.id"));
    assertEquals("2", data.get("count.skipped.image-corrupt"));
    assertEquals(m, IndexMetadata.fromUserData(data));
  }

  @Test
  void aDifferentModelIsRefusedNamingBoth() {
    IndexMetadata m = metadata(IndexSchema.VERSION, "vgg16", "random:42");
    m.requireCompatible("vgg16", "random:42");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> m.requireCompatible("mobilenet-v1", "tflite:x"));
    assertTrue(
        e.getMessage().contains("vgg16") && e.getMessage().contains("mobilenet-v1"),
        e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> m.requireCompatible("vgg16", "random:7"));
    assertTrue(
        e.getMessage().contains("random:42") && e.getMessage().contains("random:7"),
        e.getMessage());
  }

  @Test
  void anotherSchemaVersionIsRefusedNamingBoth() {
    IndexMetadata m = metadata(IndexSchema.VERSION + 1, "vgg16", "random:42");
    IllegalStateException e = assertThrows(IllegalStateException.class, m::requireSchema);
    assertTrue(
        e.getMessage().contains("schema version " + (IndexSchema.VERSION + 1)), e.getMessage());
    assertThrows(IllegalStateException.class, () -> m.requireCompatible("vgg16", "random:42"));
  }

  @Test
  void thePreprocessingRoundTripsAndAnotherOneIsRefusedNamingBoth() {
    IndexMetadata m =
        new IndexMetadata(
            IndexSchema.VERSION,
            "mobilenet-v1",
            "v1.tflite@sha256:f409",
            true,
            1024,
            "DOT_PRODUCT",
            "hnsw",
            "/c",
            1,
            5,
            Map.of(),
            "resize=crop");
    assertEquals("resize=crop", m.toUserData().get("embedder.preprocessing"));
    assertEquals(m, IndexMetadata.fromUserData(m.toUserData()));
    m.requireCompatible("mobilenet-v1", "v1.tflite@sha256:f409", "resize=crop");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> m.requireCompatible("mobilenet-v1", "v1.tflite@sha256:f409", "resize=pad"));
    assertTrue(
        e.getMessage().contains("'resize=crop'") && e.getMessage().contains("'resize=pad'"),
        e.getMessage());
  }

  @Test
  void anIndexThatPredatesThePreprocessingRecordAcceptsAny() {
    Map<String, String> data =
        new HashMap<>(metadata(IndexSchema.VERSION, "vgg16", "random:42").toUserData());
    assertTrue(!data.containsKey("embedder.preprocessing"));
    IndexMetadata old = IndexMetadata.fromUserData(data);
    assertEquals(IndexMetadata.UNRECORDED, old.preprocessing());
    old.requireCompatible("vgg16", "random:42", "pad-224-bgr-vggmean");
  }

  @Test
  void userDataFromAnotherProgramIsRefused() {
    Map<String, String> data = new HashMap<>(metadata(1, "m", "w").toUserData());
    data.remove("model.id");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> IndexMetadata.fromUserData(data));
    assertTrue(e.getMessage().contains("model.id"), e.getMessage());
  }
}
