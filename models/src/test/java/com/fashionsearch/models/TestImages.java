package com.fashionsearch.models;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small generated product-like photos (60x80 portraits on white) for the model tests. */
final class TestImages {
  private TestImages() {}

  /** {@code count} portraits with random coloured shapes, reproducible from {@code seed}. */
  static List<BufferedImage> portraits(int count, long seed) {
    Random random = new Random(seed);
    List<BufferedImage> images = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(60, 80, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      try {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 60, 80);
        for (int s = 0; s < 4; s++) {
          g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
          int x = random.nextInt(40);
          int y = random.nextInt(60);
          if (random.nextBoolean()) {
            g.fillOval(x, y, 10 + random.nextInt(20), 10 + random.nextInt(20));
          } else {
            g.fillRect(x, y, 10 + random.nextInt(20), 10 + random.nextInt(20));
          }
        }
      } finally {
        g.dispose();
      }
      images.add(image);
    }
    return images;
  }
}
