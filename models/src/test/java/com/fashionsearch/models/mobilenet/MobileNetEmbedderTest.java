package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.models.Embedders;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.ResizeMode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MobileNetEmbedderTest {

  private static BufferedImage shape(Color color, boolean round) {
    BufferedImage image = new BufferedImage(60, 80, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 60, 80);
    g.setColor(color);
    if (round) {
      g.fillOval(5, 10, 50, 60);
    } else {
      g.fillRect(5, 10, 50, 60);
    }
    g.dispose();
    return image;
  }

  @Test
  void v1GivesUnitVectorsThatDependOnTheImageAndNotOnTheBatch() {
    Path file = MobileNetTestFiles.require(MobileNetVariant.V1);
    try (MobileNetEmbedder e =
        MobileNetEmbedder.open(MobileNetVariant.V1, file.toString(), ResizeMode.PAD)) {
      assertEquals("mobilenet-v1", e.modelId());
      assertEquals(1024, e.dimension());
      assertTrue(e.pretrained());
      assertEquals(
          MobileNetVariant.V1.fileName()
              + "@sha256:"
              + MobileNetVariant.V1.sha256().substring(0, 12),
          e.weightsId());
      assertEquals("resize=pad", e.preprocessing());
      BufferedImage red = shape(Color.RED, true);
      float[][] v = e.embed(List.of(red, shape(Color.BLUE, false)));
      float[][] alone = e.embed(List.of(red));
      assertEquals(1024, v[0].length);
      assertEquals(1.0, dot(v[0], v[0]), 1e-4);
      assertEquals(1.0, dot(v[0], alone[0]), 1e-5, "batching does not change a vector");
      assertTrue(dot(v[0], v[1]) < 0.99, "different images, different vectors");
      assertThrows(
          IllegalStateException.class, () -> e.logits(List.of(red)), "v1 has no classifier");
    }
  }

  @Test
  void embeddersCreatesMobileNetsAndRefusesRandomWeights() {
    MobileNetTestFiles.require(MobileNetVariant.V1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Embedders.create("mobilenet-v1", "random:42"));
    assertTrue(e.getMessage().contains("random:42"), e.getMessage());
    try (ImageEmbedder zoo = Embedders.create("mobilenet-v1", "zoo")) {
      assertEquals(1024, zoo.dimension());
    }
  }

  @Test
  void powerNormalisationIsTheSquareRootOfThePlainEmbeddingAndIsRecreatedFromItsId() {
    Path file = MobileNetTestFiles.require(MobileNetVariant.V1);
    List<BufferedImage> images = List.of(shape(Color.RED, true), shape(Color.BLUE, false));
    try (ImageEmbedder plain =
            Embedders.create("mobilenet-v1", file.toString(), ResizeMode.PAD, false);
        ImageEmbedder power = Embedders.create("mobilenet-v1", file.toString(), ResizeMode.PAD)) {
      assertEquals("resize=pad", plain.preprocessing());
      assertEquals("resize=pad,power=0.5", power.preprocessing());
      float[][] p = plain.embed(images);
      float[][] q = power.embed(images);
      for (int i = 0; i < images.size(); i++) {
        float[] expected = p[i].clone();
        double norm = 0;
        for (int j = 0; j < expected.length; j++) {
          assertTrue(expected[j] >= 0, "pooled ReLU6 features are non-negative");
          expected[j] = (float) Math.sqrt(expected[j]);
          norm += expected[j] * expected[j];
        }
        for (int j = 0; j < expected.length; j++) {
          assertEquals(
              expected[j] / Math.sqrt(norm), q[i][j], 1e-5, "element " + j + " of image " + i);
        }
        assertTrue(dot(p[i], q[i]) < 0.999, "power normalisation changes the vector");
      }
    }
    try (ImageEmbedder recorded =
            Embedders.createAsRecorded("mobilenet-v1", file.toString(), "resize=crop,power=0.5");
        ImageEmbedder old = Embedders.createAsRecorded("mobilenet-v1", file.toString(), "")) {
      assertEquals("resize=crop,power=0.5", recorded.preprocessing());
      assertEquals(
          "resize=pad", old.preprocessing(), "an index that predates the record: pad, no power");
    }
  }

  @Test
  void aFileThatIsNotAModelIsRefusedWithItsPath(@TempDir Path dir) throws Exception {
    Path bogus = Files.writeString(dir.resolve("bogus.tflite"), "hello");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MobileNetEmbedder.open(MobileNetVariant.V1, bogus.toString(), ResizeMode.PAD));
    assertTrue(
        e.getMessage().contains("bogus.tflite") && e.getMessage().contains("TFL3"), e.getMessage());
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MobileNetEmbedder.open(
                    MobileNetVariant.V1, dir.resolve("none.tflite").toString(), ResizeMode.PAD));
    assertTrue(missing.getMessage().contains("none.tflite"), missing.getMessage());
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
