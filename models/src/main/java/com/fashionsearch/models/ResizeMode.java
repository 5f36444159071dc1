package com.fashionsearch.models;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * How a non-square product photo (the dataset's are 60x80 portraits on white) becomes the square
 * input of a network. Shared by every model, so that "pad" means the same everywhere. Thread-safe.
 */
public enum ResizeMode {
  /** Scale the longer side to the target and centre the image on a white square. */
  PAD,
  /** Scale each side to the target independently, distorting the aspect ratio. */
  STRETCH;

  /**
   * Resizes {@code image} to a {@code side x side} RGB image, bilinear.
   *
   * @throws IllegalArgumentException if {@code side} is not positive
   */
  public BufferedImage toSquare(BufferedImage image, int side) {
    if (side < 1) {
      throw new IllegalArgumentException("side must be at least 1, got: " + side);
    }
    BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, side, side);
      int w = image.getWidth();
      int h = image.getHeight();
      if (this == STRETCH) {
        g.drawImage(image, 0, 0, side, side, null);
      } else {
        double scale = (double) side / Math.max(w, h);
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(h * scale));
        g.drawImage(image, (side - sw) / 2, (side - sh) / 2, sw, sh, null);
      }
    } finally {
      g.dispose();
    }
    return out;
  }
}
