package com.fashionsearch.indexer;

import com.fashionsearch.data.Product;
import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.ImageRejectedException;
import com.fashionsearch.models.UnitLength;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a reindex that every backend shares: for each product, in catalog order and a batch
 * at a time, read the image's bytes, hash them, take the embedding from the {@link EmbeddingCache}
 * or decode the image and run the network (appending the new embedding to the cache), leave out
 * all-zero embeddings, and hand the batch of (product, vector) pairs to a {@link VectorSink}.
 * Reading, hashing and decoding run on a second thread while the network embeds the previous batch.
 *
 * <p>One bad row or image never aborts a run: it is counted in {@link ReindexCounts} by reason
 * ({@code unreadable-image}, {@code image-<reason>}, {@code zero-embedding}), unless {@code
 * strict}. Progress is reported a batch at a time.
 *
 * <p>Not thread-safe: one run at a time per instance.
 */
public final class ReindexPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ReindexPipeline.class);

  private final ImageEmbedder embedder;
  private final int batchSize;
  private final boolean strict;
  private final ProgressListener progress;

  /**
   * @param embedder the network (not closed here)
   * @param batchSize images per network call and products per sink call
   * @param strict fail on the first bad image instead of counting and skipping it
   * @param progress told of each batch done
   */
  public ReindexPipeline(
      ImageEmbedder embedder, int batchSize, boolean strict, ProgressListener progress) {
    if (batchSize < 1 || batchSize > 1024) {
      throw new IllegalArgumentException("batch must be between 1 and 1024, got: " + batchSize);
    }
    this.embedder = embedder;
    this.batchSize = batchSize;
    this.strict = strict;
    this.progress = progress;
  }

  /**
   * What every reindex does before it reads images: warns when the weights are untrained ({@code
   * target} names what is built, "index" or "collection"), and builds a deferred network now when
   * the cache holds nothing for it (a first run: every image needs it, and weights that cannot be
   * built fail before any work). Otherwise the network is built by the first image that is not
   * cached, if any: a rerun that finds every vector never builds it.
   */
  public static void prepare(ImageEmbedder embedder, Path cacheDir, String target)
      throws IOException {
    if (!embedder.pretrained()) {
      LOG.warn(
          "model {} runs with UNTRAINED weights {}: the {} will work, but its neighbours are"
              + " not visually meaningful",
          embedder.modelId(),
          embedder.weightsId(),
          target);
    }
    if (!EmbeddingCache.holdsRecords(
        cacheDir,
        embedder.modelId(),
        embedder.weightsId(),
        embedder.preprocessing(),
        embedder.dimension())) {
      embedder.ensureBuilt();
    }
  }

  /**
   * Opens the embedding cache of {@code embedder}'s model, weights and preprocessing in {@code
   * dir}, saying so when an interrupted run left a partial record that was cut off.
   */
  public static EmbeddingCache openCache(Path dir, ImageEmbedder embedder) throws IOException {
    EmbeddingCache cache =
        EmbeddingCache.open(
            dir,
            embedder.modelId(),
            embedder.weightsId(),
            embedder.preprocessing(),
            embedder.dimension());
    if (cache.truncatedBytes() > 0) {
      LOG.warn(
          "embedding cache {} ended in a partial record ({} bytes, from an interrupted run): cut"
              + " off",
          cache.file(),
          cache.truncatedBytes());
    }
    return cache;
  }

  /**
   * Embeds (or takes from {@code cache}) every product's image, counts what is skipped into {@code
   * counts}, hands each batch of usable embeddings to {@code sink}, and syncs the cache at the end.
   *
   * @param task the progress task's name
   * @throws IllegalStateException when {@code strict} meets a bad image
   * @throws IOException when the sink or the cache fails, or the run is interrupted
   */
  public void run(
      String task,
      List<Product> products,
      EmbeddingCache cache,
      ReindexCounts counts,
      VectorSink sink)
      throws IOException {
    BlockingQueue<Object> batches = new ArrayBlockingQueue<>(2);
    Thread reader =
        Thread.ofPlatform()
            .name("reindex-image-reader")
            .daemon()
            .start(() -> readBatches(products, cache, batches));
    progress.start(task, products.size());
    try {
      while (true) {
        Object next = takeInterruptibly(batches);
        if (next instanceof Failure failure) {
          throw failure.asException();
        }
        if (next == END) {
          break;
        }
        Batch batch = (Batch) next;
        List<EmbeddedProduct> usable = embed(batch, cache, counts);
        if (!usable.isEmpty()) {
          sink.accept(usable);
        }
        progress.advance(batch.size());
      }
      cache.sync();
    } finally {
      reader.interrupt();
      progress.close();
    }
  }

  /**
   * Runs the network on the batch's decoded images and pairs every usable embedding with its
   * product.
   */
  private List<EmbeddedProduct> embed(Batch batch, EmbeddingCache cache, ReindexCounts counts)
      throws IOException {
    List<BufferedImage> images = new ArrayList<>();
    for (Item item : batch.items) {
      if (item.image != null) {
        images.add(item.image);
      }
    }
    float[][] computed = images.isEmpty() ? new float[0][] : embedder.embed(images);
    int next = 0;
    List<EmbeddedProduct> usable = new ArrayList<>(batch.size());
    for (Item item : batch.items) {
      if (item.skipReason != null) {
        counts.skip(item.product, item.skipReason, item.detail, strict);
        continue;
      }
      float[] vector = item.cached;
      if (vector == null) {
        vector = computed[next++];
        cache.put(item.sha256, vector);
        counts.countEmbedded();
      } else {
        counts.countFromCache();
      }
      if (UnitLength.isZero(vector)) {
        counts.skip(item.product, "zero-embedding", "the image's features are all zero", strict);
        continue;
      }
      usable.add(new EmbeddedProduct(item.product, vector));
      counts.countIndexed();
    }
    return usable;
  }

  /** Runs on the reader thread: bytes, hash, cache lookup and decoding, a batch at a time. */
  private void readBatches(
      List<Product> products, EmbeddingCache cache, BlockingQueue<Object> out) {
    try {
      for (int from = 0; from < products.size(); from += batchSize) {
        List<Product> slice = products.subList(from, Math.min(products.size(), from + batchSize));
        Batch batch = new Batch(new ArrayList<>(slice.size()));
        for (Product product : slice) {
          batch.items.add(read(product, cache));
        }
        out.put(batch);
      }
      out.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      try {
        out.put(new Failure(e));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Item read(Product product, EmbeddingCache cache) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(product.image());
    } catch (IOException e) {
      return Item.skipped(product, "unreadable-image", product.image() + ": " + e);
    }
    String sha256 = EmbeddingCache.sha256Hex(bytes);
    float[] cached = cache.get(sha256);
    if (cached != null) {
      return new Item(product, sha256, cached, null, null, null);
    }
    try {
      BufferedImage image = ImageDecoder.decode(bytes, product.image().toString());
      return new Item(product, sha256, null, image, null, null);
    } catch (ImageRejectedException e) {
      return Item.skipped(product, "image-" + e.reason(), e.getMessage());
    }
  }

  private static Object takeInterruptibly(BlockingQueue<Object> queue) throws IOException {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("reindex interrupted", e);
    }
  }

  private static final Object END = new Object();

  private record Batch(List<Item> items) {
    int size() {
      return items.size();
    }
  }

  private record Item(
      Product product,
      String sha256,
      float[] cached,
      BufferedImage image,
      String skipReason,
      String detail) {
    static Item skipped(Product product, String reason, String detail) {
      return new Item(product, null, null, null, reason, detail);
    }
  }

  private record Failure(Throwable error) {
    RuntimeException asException() {
      return error instanceof RuntimeException re
          ? re
          : new IllegalStateException("image reader failed", error);
    }
  }
}
