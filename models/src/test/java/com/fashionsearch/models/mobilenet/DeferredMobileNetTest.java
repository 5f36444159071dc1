package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.models.Embedders;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.LazyEmbedder;
import com.fashionsearch.models.ResizeMode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deferred MobileNet: the eager identity and vectors, the graph compiled on first use only. */
class DeferredMobileNetTest {

  @Test
  void v1HasTheEagerIdentityAndVectorsAndCompilesOnFirstUse() {
    Path file = MobileNetTestFiles.require(MobileNetVariant.V1);
    BufferedImage image = new BufferedImage(60, 80, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 60, 80);
    g.setColor(Color.ORANGE);
    g.fillOval(10, 20, 40, 30);
    g.dispose();
    try (ImageEmbedder eager = Embedders.create("mobilenet-v1", file.toString(), ResizeMode.PAD);
        ImageEmbedder deferred =
            Embedders.deferred("mobilenet-v1", file.toString(), ResizeMode.PAD)) {
      LazyEmbedder lazy = assertInstanceOf(LazyEmbedder.class, deferred);
      assertEquals(eager.identity(), lazy.identity());
      assertEquals(
          "resize=pad," + MobileNetEmbedder.POWER_ID + "," + MobileNetEmbedder.INTERMEDIATE_ID + 4,
          lazy.preprocessing());
      assertEquals(1024, lazy.visualDimension(), "known before the network is built");
      assertEquals(eager.dimension(), lazy.dimension());
      assertFalse(lazy.isBuilt());
      assertArrayEquals(eager.embed(List.of(image)), lazy.embed(List.of(image)));
      assertTrue(lazy.isBuilt());
    }
  }

  @Test
  void missingAndNonTfliteFilesFailUpFrontWithTheEagerMessages(@TempDir Path dir) throws Exception {
    String missing = dir.resolve("none.tflite").toString();
    IllegalArgumentException eager =
        assertThrows(
            IllegalArgumentException.class, () -> Embedders.create("mobilenet-v1", missing));
    IllegalArgumentException deferred =
        assertThrows(
            IllegalArgumentException.class,
            () -> Embedders.deferred("mobilenet-v1", missing, ResizeMode.PAD));
    assertEquals(eager.getMessage(), deferred.getMessage());

    Path bogus = dir.resolve("bogus.tflite");
    Files.writeString(bogus, "definitely not a flatbuffer", StandardCharsets.UTF_8);
    IllegalArgumentException eagerBogus =
        assertThrows(
            IllegalArgumentException.class,
            () -> Embedders.create("mobilenet-v1", bogus.toString()));
    IllegalArgumentException deferredBogus =
        assertThrows(
            IllegalArgumentException.class,
            () -> Embedders.deferred("mobilenet-v1", bogus.toString(), ResizeMode.PAD));
    assertEquals(eagerBogus.getMessage(), deferredBogus.getMessage());
    assertTrue(
        deferredBogus.getMessage().contains("not a usable MobileNet"), deferredBogus.getMessage());
  }
}
