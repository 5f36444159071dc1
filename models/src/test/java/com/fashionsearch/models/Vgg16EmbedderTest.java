package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Vgg16EmbedderTest {
  private final List<BufferedImage> images = TestImages.portraits(3, 21);
  private ImageEmbedder seed42;
  private float[][] seed42Vectors;

  @BeforeAll
  void embedWithSeed42() {
    seed42 = Embedders.create("vgg16", "random:42");
    seed42Vectors = seed42.embed(images);
  }

  @AfterAll
  void close() {
    seed42.close();
  }

  @Test
  void untrainedWeightsSayWhatTheyAre() {
    assertEquals("vgg16", seed42.modelId());
    assertEquals("random:42", seed42.weightsId());
    assertFalse(seed42.pretrained());
    assertEquals(4096, seed42.dimension());
    assertEquals("pad-224-bgr-vggmean", seed42.preprocessing());
  }

  @Test
  void vectorsHaveUnitLengthAndDifferBetweenImages() {
    assertEquals(images.size(), seed42Vectors.length);
    for (float[] v : seed42Vectors) {
      assertEquals(4096, v.length);
      assertEquals(1.0, norm(v), 1e-4);
    }
    assertTrue(
        cosine(seed42Vectors[0], seed42Vectors[1]) < 0.99999,
        "different images, different vectors");
    assertEquals(0, seed42.embed(List.of()).length);
  }

  @Test
  void theSameSeedGivesTheSameVectorsAndAnotherSeedOthers() {
    try (ImageEmbedder again = Embedders.create("vgg16", "random:42")) {
      float[][] v = again.embed(images);
      for (int i = 0; i < v.length; i++) {
        assertArrayEquals(seed42Vectors[i], v[i], "image " + i);
      }
    }
    try (ImageEmbedder other = Embedders.create("vgg16", "random:7")) {
      assertEquals("random:7", other.weightsId());
      float[] v = other.embed(images.subList(0, 1))[0];
      assertTrue(maxAbsDiff(seed42Vectors[0], v) > 1e-3, "seed 7 must not give seed 42's vector");
    }
  }

  @Test
  void theDirectEngineMatchesTheGraphsFc2() {
    try (Vgg16Embedder graph =
        new Vgg16Embedder(
            Vgg16Weights.parse("random:42"), ResizeMode.PAD, Vgg16Embedder.Engine.GRAPH)) {
      assertEquals(Vgg16Embedder.Engine.GRAPH, graph.engine());
      float[][] g = graph.embed(images.subList(0, 2));
      for (int i = 0; i < g.length; i++) {
        assertTrue(
            maxAbsDiff(g[i], seed42Vectors[i]) < 1e-4,
            "image " + i + ": " + maxAbsDiff(g[i], seed42Vectors[i]));
      }
    }
  }

  @Test
  void weightsFileRoundTripGivesTheSameVectorsAndNamesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("standin-vgg16.zip");
    ComputationGraph original = StandInVgg16.build(9, false);
    ModelSerializer.writeModel(original, file.toFile(), false);
    float[][] before;
    try (Vgg16Embedder fromMemory =
        new Vgg16Embedder(
            new Vgg16Weights.Loaded(original, "memory", false),
            ResizeMode.STRETCH,
            Vgg16Embedder.Engine.DIRECT)) {
      assertEquals(Vgg16Embedder.Engine.DIRECT, fromMemory.engine());
      before = fromMemory.embed(images);
    }
    try (ImageEmbedder fromFile = Embedders.create("vgg16", file.toString(), ResizeMode.STRETCH)) {
      assertTrue(
          fromFile.weightsId().matches("file:standin-vgg16\\.zip:sha256=[0-9a-f]{12}"),
          fromFile.weightsId());
      assertEquals("stretch-224-bgr-vggmean", fromFile.preprocessing());
      float[][] after = fromFile.embed(images);
      for (int i = 0; i < after.length; i++) {
        assertArrayEquals(before[i], after[i], 1e-6f, "image " + i);
      }
    }
    // and on this graph with Keras-style names, the graph engine agrees with the direct one
    try (Vgg16Embedder graph =
        new Vgg16Embedder(
            Vgg16Weights.parse(file.toString()), ResizeMode.STRETCH, Vgg16Embedder.Engine.GRAPH)) {
      float[][] g = graph.embed(images);
      for (int i = 0; i < g.length; i++) {
        assertTrue(maxAbsDiff(g[i], before[i]) < 1e-4, "image " + i);
      }
    }
  }

  @Test
  void padAndStretchGiveDifferentVectors() {
    try (Vgg16Embedder stretch =
            new Vgg16Embedder(
                new Vgg16Weights.Loaded(StandInVgg16.build(9, false), "m", false),
                ResizeMode.STRETCH,
                Vgg16Embedder.Engine.DIRECT);
        Vgg16Embedder pad =
            new Vgg16Embedder(
                new Vgg16Weights.Loaded(StandInVgg16.build(9, false), "m", false),
                ResizeMode.PAD,
                Vgg16Embedder.Engine.DIRECT)) {
      assertNotEquals(stretch.preprocessing(), pad.preprocessing());
      assertTrue(maxAbsDiff(stretch.embed(images)[0], pad.embed(images)[0]) > 1e-3);
    }
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  static double cosine(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s / (norm(a) * norm(b));
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
