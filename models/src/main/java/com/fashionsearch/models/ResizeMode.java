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
  STRETCH,
  /**
   * Crop the white margin: cut the image to the bounding box of its non-white pixels (see {@link
   * #productBox}) plus a small margin, then {@link #PAD} that box, so that the product fills the
   * square. An image with no non-white pixel is padded whole.
   */
  CROP;

  /** A pixel is background when each of its channels is at least this (JPEG noise on white). */
  public static final int WHITE_THRESHOLD = 240;

  /** The margin kept around the product's box, as a fraction of the box's longer side. */
  public static final double CROP_MARGIN = 0.04;

  /**
   * Parses a mode name as given on the command line ({@code pad}, {@code stretch}, {@code crop}).
   *
   * @throws IllegalArgumentException naming the bad value and the known ones
   */
  public static ResizeMode parse(String name) {
    for (ResizeMode mode : values()) {
      if (mode.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "resize mode must be pad, stretch or crop, got: '" + name + "'");
  }

  /** The mode's name as written on the command line and in ids: {@code pad}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The bounding box of the product on a white background: the smallest rectangle holding every
   * pixel with a channel below {@link #WHITE_THRESHOLD}, grown by {@link #CROP_MARGIN} of its
   * longer side on each side and clipped to the image.
   *
   * @return {@code {x, y, width, height}}; the whole image when every pixel is white
   */
  public static int[] productBox(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] row = new int[w];
    int minX = w;
    int minY = h;
    int maxX = -1;
    int maxY = -1;
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        if (((p >> 16) & 0xff) < WHITE_THRESHOLD
            || ((p >> 8) & 0xff) < WHITE_THRESHOLD
            || (p & 0xff) < WHITE_THRESHOLD) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    if (maxX < 0) {
      return new int[] {0, 0, w, h};
    }
    int margin = (int) Math.round(CROP_MARGIN * Math.max(maxX - minX + 1, maxY - minY + 1));
    int x0 = Math.max(0, minX - margin);
    int y0 = Math.max(0, minY - margin);
    int x1 = Math.min(w - 1, maxX + margin);
    int y1 = Math.min(h - 1, maxY + margin);
    return new int[] {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
  }

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
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, side, side);
      BufferedImage source = image;
      if (this == CROP) {
        int[] box = productBox(image);
        source = image.getSubimage(box[0], box[1], box[2], box[3]);
      }
      int w = source.getWidth();
      int h = source.getHeight();
      if (this == STRETCH) {
        g.drawImage(image, 0, 0, side, side, null);
      } else {
        double scale = (double) side / Math.max(w, h);
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(h * scale));
        g.drawImage(source, (side - sw) / 2, (side - sh) / 2, sw, sh, null);
      }
    } finally {
      g.dispose();
    }
    return out;
  }
}
