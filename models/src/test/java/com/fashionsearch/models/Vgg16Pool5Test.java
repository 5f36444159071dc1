package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code vgg16-pool5} model on the untrained zoo graph, and its three poolings. */
class Vgg16Pool5Test {
  static {
    NativeBackend.select();
  }

  @Test
  void thePoolingsComputeMaxMeanAndGemPerChannel() {
    // two positions, two channels: channel 0 takes 1 and 2, channel 1 takes 0 and 3
    float[] map = {1, 0, 2, 3};
    assertArrayEquals(new float[] {2, 3}, Vgg16Features.POOL5_MAX.pool(map, 1, 2, 2)[0]);
    assertArrayEquals(new float[] {1.5f, 1.5f}, Vgg16Features.POOL5_AVG.pool(map, 1, 2, 2)[0]);
    assertArrayEquals(
        new float[] {(float) Math.cbrt(4.5), (float) Math.cbrt(13.5)},
        Vgg16Features.POOL5_GEM.pool(map, 1, 2, 2)[0],
        1e-6f);
    assertThrows(IllegalStateException.class, () -> Vgg16Features.FC2.pool(map, 1, 2, 2));
  }

  @Test
  void poolingNamesAndRecordedIds() {
    assertEquals(Vgg16Features.POOL5_MAX, Vgg16Features.pool5(" MAX "));
    assertEquals(Vgg16Features.POOL5_AVG, Vgg16Features.pool5("avg"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Vgg16Features.pool5("median"));
    assertTrue(e.getMessage().contains("'median'"), e.getMessage());
    assertEquals(
        Vgg16Features.POOL5_AVG, Vgg16Features.pool5Recorded("crop-224-bgr-vggmean,pool=avg"));
    assertEquals(
        Vgg16Features.POOL5_GEM, Vgg16Features.pool5Recorded("pad-224-bgr-vggmean,pool=gem3"));
    assertEquals(ResizeMode.CROP, Embedders.resizeOf("crop-224-bgr-vggmean,pool=max"));
    assertTrue(Embedders.models().contains("vgg16-pool5"), Embedders.models().toString());
  }

  @Test
  void randomZooWeightsGiveTheSameUnitVectorsOnBothEngines() {
    List<BufferedImage> images = TestImages.portraits(2, 31);
    float[][] direct;
    try (Vgg16Embedder e =
        new Vgg16Embedder(
            Vgg16Weights.parse("random:5").resolve(),
            ResizeMode.PAD,
            Vgg16Embedder.Engine.DIRECT,
            Vgg16Features.POOL5_GEM)) {
      assertEquals(Vgg16Embedder.Engine.DIRECT, e.engine());
      assertEquals("vgg16-pool5", e.modelId());
      assertEquals(512, e.dimension());
      assertEquals("random:5", e.weightsId());
      assertEquals("pad-224-bgr-vggmean,pool=gem3", e.preprocessing());
      direct = e.embed(images);
    }
    try (Vgg16Embedder e =
        new Vgg16Embedder(
            Vgg16Weights.parse("random:5").resolve(),
            ResizeMode.PAD,
            Vgg16Embedder.Engine.GRAPH,
            Vgg16Features.POOL5_GEM)) {
      float[][] graph = e.embed(images);
      for (int i = 0; i < images.size(); i++) {
        assertEquals(512, direct[i].length);
        assertEquals(1.0, Vgg16EmbedderTest.norm(direct[i]), 1e-4);
        assertTrue(Vgg16EmbedderTest.maxAbsDiff(direct[i], graph[i]) < 1e-4, "image " + i);
      }
    }
    assertTrue(
        Vgg16EmbedderTest.cosine(direct[0], direct[1]) < 0.99999,
        "different images, different vectors");
  }
}
