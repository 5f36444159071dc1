package com.fashionsearch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCatalogTest {
  @TempDir Path dir;

  @Test
  void writesTheDatasetLayoutAndSaysItIsGenerated() throws Exception {
    List<String> ids = SyntheticCatalog.write(dir, 20, 3);
    List<String> lines = Files.readAllLines(dir.resolve("styles.csv"), StandardCharsets.UTF_8);
    assertEquals("id," + String.join(",", CatalogColumns.ATTRIBUTES), lines.get(0));
    assertEquals(21, lines.size());
    for (int i = 0; i < ids.size(); i++) {
      String[] fields = lines.get(i + 1).split(",", -1);
      assertEquals(10, fields.length, lines.get(i + 1));
      assertEquals(ids.get(i), fields[0]);
      BufferedImage image =
          ImageIO.read(dir.resolve("images").resolve(ids.get(i) + ".jpg").toFile());
      assertEquals(SyntheticCatalog.WIDTH, image.getWidth());
      assertEquals(SyntheticCatalog.HEIGHT, image.getHeight());
      assertTrue(fields[9].startsWith("Generated "), fields[9]);
    }
    assertTrue(
        Files.readString(dir.resolve("GENERATED.txt"), StandardCharsets.UTF_8)
            .contains("GENERATED"));
  }

  @Test
  void everyArticleTypeIsDrawnInItsColourOnWhite() throws Exception {
    SyntheticCatalog.write(dir, SyntheticCatalog.ARTICLES.size(), 5);
    for (int i = 0; i < SyntheticCatalog.ARTICLES.size(); i++) {
      BufferedImage image =
          ImageIO.read(dir.resolve("images").resolve((10000 + i) + ".jpg").toFile());
      int corner = image.getRGB(0, 0) & 0xFFFFFF;
      assertTrue(
          ((corner >> 16) & 0xFF) > 240 && (corner & 0xFF) > 240,
          "white background, got " + Integer.toHexString(corner));
      long nonWhite = 0;
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int rgb = image.getRGB(x, y);
          if (((rgb >> 16) & 0xFF) < 200 || ((rgb >> 8) & 0xFF) < 200 || (rgb & 0xFF) < 200) {
            nonWhite++;
          }
        }
      }
      assertTrue(
          nonWhite > 100, SyntheticCatalog.ARTICLES.get(i) + " drew only " + nonWhite + " pixels");
    }
  }

  @Test
  void theSameSeedWritesTheSameCatalog() throws Exception {
    SyntheticCatalog.write(dir.resolve("a"), 12, 99);
    SyntheticCatalog.write(dir.resolve("b"), 12, 99);
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a/styles.csv")),
        Files.readAllBytes(dir.resolve("b/styles.csv")));
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a/images/10011.jpg")),
        Files.readAllBytes(dir.resolve("b/images/10011.jpg")));
  }

  @Test
  void aNonPositiveCountIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SyntheticCatalog.write(dir, 0, 1));
    assertTrue(e.getMessage().contains("got: 0"));
  }
}
