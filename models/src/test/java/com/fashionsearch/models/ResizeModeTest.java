package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ResizeModeTest {
  /**
   * A 60x80 white portrait with a red rectangle at x 10..29, y 20..59 and JPEG-like near-white
   * noise.
   */
  private static BufferedImage portrait() {
    BufferedImage image = new BufferedImage(60, 80, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 60, 80);
    g.setColor(Color.RED);
    g.fillRect(10, 20, 20, 40);
    g.dispose();
    image.setRGB(55, 5, new Color(ResizeMode.WHITE_THRESHOLD, 250, 255).getRGB()); // background
    return image;
  }

  @Test
  void productBoxIsTheNonWhiteRectangleGrownByTheMargin() {
    // margin: round(0.04 * 40) = 2 pixels on each side
    assertArrayEquals(new int[] {8, 18, 24, 44}, ResizeMode.productBox(portrait()));
  }

  @Test
  void productBoxIsClippedToTheImageAndAWhiteImageIsKeptWhole() {
    BufferedImage edge = portrait();
    edge.setRGB(0, 79, Color.BLACK.getRGB());
    int[] box = ResizeMode.productBox(edge);
    assertEquals(0, box[0]);
    assertEquals(79, box[1] + box[3] - 1);
    BufferedImage white = new BufferedImage(30, 40, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 30; x++) {
        white.setRGB(x, y, 0xFFFFFF);
      }
    }
    assertArrayEquals(new int[] {0, 0, 30, 40}, ResizeMode.productBox(white));
  }

  @Test
  void cropMakesTheProductFillTheSquareWherePadLeavesMargins() {
    int side = 100;
    BufferedImage crop = ResizeMode.CROP.toSquare(portrait(), side);
    BufferedImage pad = ResizeMode.PAD.toSquare(portrait(), side);
    // the 24x44 box scaled to height 100: the red spans rows ~5..95 and sits centred
    assertEquals(Color.RED.getRGB(), crop.getRGB(50, 50) | 0xFF000000);
    assertTrue(redRows(crop) > 85, "red rows after crop: " + redRows(crop));
    assertTrue(redRows(pad) < 55, "red rows after pad: " + redRows(pad));
    assertEquals(0xFFFFFFFF, crop.getRGB(2, 2));
  }

  private static int redRows(BufferedImage image) {
    int rows = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        if (((p >> 16) & 0xff) > 200 && ((p >> 8) & 0xff) < 60) {
          rows++;
          break;
        }
      }
    }
    return rows;
  }

  @Test
  void parseNamesTheBadValue() {
    assertEquals(ResizeMode.CROP, ResizeMode.parse(" Crop "));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ResizeMode.parse("zoom"));
    assertTrue(
        e.getMessage().contains("'zoom'") && e.getMessage().contains("crop"), e.getMessage());
  }

  @Test
  void theRecordedPreprocessingNamesTheResizeModeAndOldIndexesMeanPad() {
    assertEquals(ResizeMode.CROP, Embedders.resizeOf("resize=crop"));
    assertEquals(ResizeMode.STRETCH, Embedders.resizeOf("stretch-224-bgr-vggmean"));
    assertEquals(ResizeMode.PAD, Embedders.resizeOf(""));
    assertEquals(ResizeMode.PAD, Embedders.resizeOf("rgb8-nowhite245-sqrt"));
  }
}
