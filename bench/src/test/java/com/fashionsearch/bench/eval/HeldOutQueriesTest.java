package com.fashionsearch.bench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.models.histogram.ColorHistogramEmbedder;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeldOutQueriesTest {

  private static void image(Path file, Color color) throws Exception {
    BufferedImage image = new BufferedImage(60, 80, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, 60, 80);
    g.dispose();
    ImageIO.write(image, "jpg", file.toFile());
  }

  @Test
  void embedsRowsWithImagesAndCountsTheRest(@TempDir Path dir) throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    image(images.resolve("1.jpg"), Color.RED);
    image(images.resolve("2.jpg"), Color.BLUE);
    Files.writeString(images.resolve("4.jpg"), "not a jpeg", StandardCharsets.UTF_8);
    Path csv =
        Files.writeString(
            dir.resolve("queries.csv"),
            "id,gender,masterCategory,subCategory,articleType,baseColour\n"
                + "1,Men,Apparel,Topwear,Tshirts,Red\n"
                + "2,Women,Footwear,Shoes,Heels,Blue\n"
                + "3,Men,Apparel,Topwear,Shirts,White\n"
                + "4,Men,Apparel,Topwear,Shirts,White\n",
            StandardCharsets.UTF_8);
    HeldOutQueries.Result r =
        HeldOutQueries.read(csv, images, new ColorHistogramEmbedder(8), 1, ProgressListener.NONE);
    assertEquals(2, r.queries().size());
    assertEquals("1", r.queries().get(0).id());
    assertEquals("Heels", r.queries().get(1).labels().get("articleType"));
    assertEquals("Blue", r.queries().get(1).labels().get("baseColour"));
    assertEquals(512, r.queries().get(0).embedding().orElseThrow().length);
    assertEquals(1, r.skipped().get("no-image"));
    assertEquals(
        1,
        r.skipped().values().stream().mapToInt(Integer::intValue).sum() - 1,
        "one undecodable: " + r.skipped());
  }

  @Test
  void aFileWithoutTheLabelColumnsIsRefusedNamingTheColumn(@TempDir Path dir) throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("q.csv"), "id,articleType\n1,Tshirts\n", StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                HeldOutQueries.read(
                    csv, dir, new ColorHistogramEmbedder(8), 4, ProgressListener.NONE));
    assertTrue(e.getMessage().contains("subCategory"), e.getMessage());
  }
}
