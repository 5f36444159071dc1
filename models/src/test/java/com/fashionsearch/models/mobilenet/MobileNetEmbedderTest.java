package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.models.Embedders;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.ResizeMode;
import com.fashionsearch.models.UnitLength;
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
      assertEquals(1024, zoo.visualDimension());
      assertEquals(1024 + 1024 + 3 * 512, zoo.dimension(), "v1's intermediate layers by default");
    }
  }

  @Test
  void powerNormalisationIsTheSquareRootOfThePlainEmbeddingAndIsRecreatedFromItsId() {
    Path file = MobileNetTestFiles.require(MobileNetVariant.V1);
    List<BufferedImage> images = List.of(shape(Color.RED, true), shape(Color.BLUE, false));
    try (ImageEmbedder plain =
            Embedders.create("mobilenet-v1", file.toString(), ResizeMode.PAD, false, 0);
        ImageEmbedder power =
            Embedders.create("mobilenet-v1", file.toString(), ResizeMode.PAD, true, 0)) {
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
  void intermediateLayersFollowTheEmbeddingEachItsOwnPooledUnitVectorWeightedEqually() {
    Path file = MobileNetTestFiles.require(MobileNetVariant.V1);
    List<BufferedImage> images = List.of(shape(Color.RED, true), shape(Color.BLUE, false));
    int[] channels = {1024, 512, 512, 512};
    try (MobileNetEmbedder plain =
            MobileNetEmbedder.open(MobileNetVariant.V1, file, ResizeMode.PAD, true);
        MobileNetEmbedder mid =
            MobileNetEmbedder.open(MobileNetVariant.V1, file, ResizeMode.PAD, true, 4)) {
      assertEquals(1024 + 1024 + 3 * 512, mid.dimension());
      assertEquals(1024, mid.visualDimension());
      assertEquals(1024, plain.visualDimension());
      assertEquals("resize=pad,power=0.5,mid=4", mid.preprocessing());
      float[][] p = plain.embed(images);
      float[][] q = mid.embed(images);
      double weight = 1 / Math.sqrt(5);
      for (int i = 0; i < images.size(); i++) {
        assertEquals(mid.dimension(), q[i].length);
        assertEquals(1.0, dot(q[i], q[i]), 1e-4);
        assertEquals(
            1.0,
            dot(UnitLength.leading(q[i], 1024), p[i]),
            1e-5,
            "the leading part is the network's own embedding");
      }
      // each intermediate part: the layer's output averaged over positions, square-rooted, unit
      // length, weighted 1/sqrt(5), computed here from the graph directly
      int offset = 1024;
      for (int layer = 0; layer < channels.length; layer++) {
        String name = mid.graph().tensorNamed(MobileNetVariant.V1.intermediateTensors().get(layer));
        float[] map =
            mid.graph().run(mid.toInput(images), name).get(name).dup('c').data().asFloat();
        int c = channels[layer];
        int positions = map.length / images.size() / c;
        for (int i = 0; i < images.size(); i++) {
          float[] expected = new float[c];
          for (int pos = 0; pos < positions; pos++) {
            for (int ch = 0; ch < c; ch++) {
              expected[ch] += map[(i * positions + pos) * c + ch] / positions;
            }
          }
          for (int ch = 0; ch < c; ch++) {
            expected[ch] = (float) Math.sqrt(expected[ch]);
          }
          UnitLength.normalise(expected);
          for (int ch = 0; ch < c; ch++) {
            assertEquals(
                weight * expected[ch],
                q[i][offset + ch],
                1e-5,
                "layer " + layer + " channel " + ch + " of image " + i);
          }
        }
        offset += c;
      }
      assertEquals(mid.dimension(), offset);
      float[] tail0 = java.util.Arrays.copyOfRange(q[0], 1024, q[0].length);
      float[] tail1 = java.util.Arrays.copyOfRange(q[1], 1024, q[1].length);
      UnitLength.normalise(tail0);
      UnitLength.normalise(tail1);
      assertTrue(dot(tail0, tail1) < 0.99, "different images, different intermediate features");
    }
    IllegalArgumentException tooMany =
        assertThrows(
            IllegalArgumentException.class,
            () -> MobileNetEmbedder.open(MobileNetVariant.V1, file, ResizeMode.PAD, true, 5));
    assertTrue(tooMany.getMessage().contains("0 to 4 intermediate layers"), tooMany.getMessage());
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class, () -> MobileNetVariant.V2.intermediateDimension(1));
    assertTrue(none.getMessage().contains("no intermediate layers"), none.getMessage());
    try (ImageEmbedder recorded =
        Embedders.createAsRecorded("mobilenet-v1", file.toString(), "resize=pad,power=0.5,mid=2")) {
      assertEquals("resize=pad,power=0.5,mid=2", recorded.preprocessing());
      assertEquals(1024 + 1024 + 512, recorded.dimension());
    }
    assertEquals(0, MobileNetEmbedder.intermediatesOf("resize=pad,power=0.5"));
    IllegalArgumentException malformed =
        assertThrows(
            IllegalArgumentException.class,
            () -> MobileNetEmbedder.intermediatesOf("resize=pad,mid=x"));
    assertTrue(malformed.getMessage().contains("'x'"), malformed.getMessage());
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
