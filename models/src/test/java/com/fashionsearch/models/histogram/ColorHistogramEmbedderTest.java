package com.fashionsearch.models.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColorHistogramEmbedderTest {

  private static BufferedImage product(Color color, int size) {
    BufferedImage image = new BufferedImage(60, 80, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 60, 80);
    g.setColor(color);
    g.fillRect(10, 10, size, size);
    g.dispose();
    return image;
  }

  @Test
  void whiteBackgroundIsLeftOutSoTheSizeOfTheProductDoesNotMatter() {
    ColorHistogramEmbedder e = new ColorHistogramEmbedder(8);
    float[][] v =
        e.embed(List.of(product(Color.RED, 10), product(Color.RED, 40), product(Color.BLUE, 40)));
    assertEquals(512, v[0].length);
    int red = 7 * 64; // r bin 7, g 0, b 0
    assertEquals(1f, v[0][red], 1e-6f);
    assertEquals(1f, dot(v[0], v[1]), 1e-6f);
    assertEquals(0f, dot(v[0], v[2]), 1e-6f);
  }

  @Test
  void anAllWhiteImageStillGetsAUnitVector() {
    float[] v = new ColorHistogramEmbedder(8).embed(List.of(product(Color.WHITE, 1)))[0];
    assertEquals(1f, dot(v, v), 1e-6f);
    assertEquals(1f, v[511], 1e-6f);
  }

  @Test
  void refusesWeightsAndBadBinCounts() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ColorHistogramEmbedder.forWeights("random:42"));
    assertTrue(e.getMessage().contains("random:42"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ColorHistogramEmbedder(1));
  }

  private static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
