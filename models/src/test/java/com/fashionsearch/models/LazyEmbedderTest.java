package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.models.histogram.ColorHistogramEmbedder;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyEmbedderTest {
  private static final EmbedderIdentity HISTOGRAM = new ColorHistogramEmbedder(8).identity();

  /** Counts builds and closes of histogram embedders (a network stand-in). */
  private static final class Counting {
    final AtomicInteger built = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();

    ImageEmbedder build() {
      built.incrementAndGet();
      ColorHistogramEmbedder inner = new ColorHistogramEmbedder(8);
      return new ImageEmbedder() {
        @Override
        public String modelId() {
          return inner.modelId();
        }

        @Override
        public String weightsId() {
          return inner.weightsId();
        }

        @Override
        public boolean pretrained() {
          return inner.pretrained();
        }

        @Override
        public String preprocessing() {
          return inner.preprocessing();
        }

        @Override
        public int dimension() {
          return inner.dimension();
        }

        @Override
        public float[][] embed(List<BufferedImage> images) {
          return inner.embed(images);
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }
      };
    }
  }

  @Test
  void theIdentityIsThereWithoutBuildingAndClosingAnUnbuiltNetworkBuildsNothing() {
    Counting counting = new Counting();
    LazyEmbedder lazy = new LazyEmbedder(HISTOGRAM, counting::build);
    assertEquals(HISTOGRAM, lazy.identity());
    assertEquals("histogram", lazy.modelId());
    assertEquals("none", lazy.weightsId());
    assertEquals(512, lazy.dimension());
    assertEquals(HISTOGRAM.preprocessing(), lazy.preprocessing());
    assertTrue(lazy.pretrained());
    assertFalse(lazy.isBuilt());
    lazy.close();
    assertEquals(0, counting.built.get());
    assertEquals(0, counting.closed.get());
    assertThrows(IllegalStateException.class, () -> lazy.embed(TestImages.portraits(1, 1)));
    assertEquals(0, counting.built.get(), "a closed embedder builds nothing");
  }

  @Test
  void theNetworkIsBuiltOnceOnFirstUseGivesTheSameVectorsAndIsClosedOnce() {
    Counting counting = new Counting();
    List<BufferedImage> images = TestImages.portraits(3, 7);
    float[][] expected = new ColorHistogramEmbedder(8).embed(images);
    try (LazyEmbedder lazy = new LazyEmbedder(HISTOGRAM, counting::build)) {
      assertArrayEquals(expected, lazy.embed(images));
      assertArrayEquals(expected, lazy.embed(images));
      lazy.ensureBuilt();
      assertTrue(lazy.isBuilt());
      assertEquals(1, counting.built.get());
    }
    assertEquals(1, counting.closed.get());
  }

  @Test
  void concurrentFirstCallsBuildOneNetwork() throws Exception {
    Counting counting = new Counting();
    List<BufferedImage> images = TestImages.portraits(1, 3);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (LazyEmbedder lazy = new LazyEmbedder(HISTOGRAM, counting::build)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<float[][]>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return lazy.embed(images);
                }));
      }
      go.countDown();
      for (Future<float[][]> r : results) {
        assertEquals(512, r.get(30, TimeUnit.SECONDS)[0].length);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, counting.built.get());
  }

  @Test
  void aNetworkThatReportsAnotherIdentityIsRefusedAndClosed() {
    Counting counting = new Counting();
    EmbedderIdentity claimed =
        new EmbedderIdentity("histogram", "none", true, 512, "rgb8-something-else");
    LazyEmbedder lazy = new LazyEmbedder(claimed, counting::build);
    IllegalStateException e = assertThrows(IllegalStateException.class, lazy::ensureBuilt);
    assertTrue(e.getMessage().contains("rgb8-something-else"), e.getMessage());
    assertFalse(lazy.isBuilt());
    assertEquals(1, counting.closed.get(), "the refused network is released");
  }

  @Test
  void anIdentityNeedsItsIds() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new EmbedderIdentity("vgg16", " ", false, 4096, "p"));
    assertTrue(e.getMessage().contains("weightsId"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new EmbedderIdentity("vgg16", "random:1", false, 0, "p"));
  }
}
