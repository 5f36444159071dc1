package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.models.ImageEmbedder;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ImageQueryEncoderTest {
  /**
   * Embeds an image as its (width, height) direction; refuses 1-pixel-wide images; records batch
   * sizes.
   */
  static final class ShapeEmbedder implements ImageEmbedder {
    final List<Integer> batches = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    @Override
    public String modelId() {
      return "shape";
    }

    @Override
    public String weightsId() {
      return "none";
    }

    @Override
    public boolean pretrained() {
      return false;
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public float[][] embed(List<BufferedImage> images) {
      batches.add(images.size());
      float[][] out = new float[images.size()][];
      for (int i = 0; i < images.size(); i++) {
        BufferedImage image = images.get(i);
        if (image.getWidth() == 1) {
          throw new IllegalArgumentException("image is 1 pixel wide");
        }
        double norm = Math.hypot(image.getWidth(), image.getHeight());
        out[i] =
            new float[] {(float) (image.getWidth() / norm), (float) (image.getHeight() / norm)};
      }
      return out;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static BufferedImage image(int width, int height) {
    return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
  }

  @Test
  void batchedEncodingGivesEachCallerTheVectorOfItsOwnImageAndIsolatesABadOne() throws Exception {
    ShapeEmbedder serialEmbedder = new ShapeEmbedder();
    ShapeEmbedder batchedEmbedder = new ShapeEmbedder();
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try (ImageQueryEncoder serial = new ImageQueryEncoder(serialEmbedder);
        ImageQueryEncoder batched =
            new ImageQueryEncoder(batchedEmbedder, new QueryBatching(4, Duration.ofMillis(50)))) {
      List<BufferedImage> images =
          List.of(
              image(60, 80),
              image(1, 80),
              image(80, 60),
              image(30, 30),
              image(10, 90),
              image(90, 10));
      List<Future<float[]>> futures = new ArrayList<>();
      for (BufferedImage image : images) {
        futures.add(callers.submit(() -> batched.encode(image)));
      }
      for (int i = 0; i < images.size(); i++) {
        if (i == 1) {
          ExecutionException e = assertThrows(ExecutionException.class, futures.get(i)::get);
          assertTrue(e.getCause() instanceof IllegalArgumentException, e.getCause().toString());
          assertEquals("image is 1 pixel wide", e.getCause().getMessage());
        } else {
          assertArrayEquals(serial.encode(images.get(i)), futures.get(i).get(), 0f, "image " + i);
        }
      }
      assertTrue(
          serialEmbedder.batches.stream().allMatch(n -> n == 1), serialEmbedder.batches.toString());
      assertTrue(
          batchedEmbedder.batches.stream().anyMatch(n -> n > 1),
          "concurrent images shared a pass: " + batchedEmbedder.batches);
      assertTrue(
          batchedEmbedder.batches.stream().allMatch(n -> n <= 4),
          batchedEmbedder.batches.toString());
    } finally {
      callers.shutdownNow();
    }
    assertTrue(
        serialEmbedder.closed && batchedEmbedder.closed, "the encoders close their embedders");
  }

  @Test
  void aClosedBatchedEncoderRefusesImages() {
    ShapeEmbedder embedder = new ShapeEmbedder();
    ImageQueryEncoder encoder =
        new ImageQueryEncoder(embedder, new QueryBatching(4, Duration.ofMillis(5)));
    assertArrayEquals(new float[] {0.6f, 0.8f}, encoder.encode(image(60, 80)), 1e-6f);
    encoder.close();
    assertTrue(embedder.closed);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> encoder.encode(image(60, 80)));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
