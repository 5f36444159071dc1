package com.fashionsearch.searcher;

import com.fashionsearch.models.ImageEmbedder;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Encodes query images with one embedder that it owns. A network is not thread-safe, so calls are
 * serialised: by default one image per forward pass, fairly in arrival order; with {@link
 * QueryBatching} enabled, images that arrive together share one batched forward pass run by a
 * {@link QueryBatcher} (an image that fails fails only its own call). The embedder is closed with
 * the encoder.
 *
 * <p>Thread-safe.
 */
public final class ImageQueryEncoder implements AutoCloseable {
  private final ImageEmbedder embedder;
  private final ReentrantLock lock = new ReentrantLock(true);

  /** Null when images are encoded one at a time under {@link #lock}. */
  private final QueryBatcher<BufferedImage, float[]> batcher;

  private boolean closed;

  /**
   * @param embedder the embedder this encoder now owns, one image per forward pass
   */
  public ImageQueryEncoder(ImageEmbedder embedder) {
    this(embedder, QueryBatching.NONE);
  }

  /**
   * @param embedder the embedder this encoder now owns
   * @param batching how images that arrive together share a forward pass
   */
  public ImageQueryEncoder(ImageEmbedder embedder, QueryBatching batching) {
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.batcher =
        batching.enabled()
            ? new QueryBatcher<>(
                "query-embedder-" + embedder.modelId(),
                batching,
                images -> Arrays.asList(embedder.embed(images)))
            : null;
  }

  /** The model id of the embedder. */
  public String modelId() {
    return embedder.modelId();
  }

  /** The weights id of the embedder. */
  public String weightsId() {
    return embedder.weightsId();
  }

  /** The embedder's preprocessing id. */
  public String preprocessing() {
    return embedder.preprocessing();
  }

  /**
   * @return the image's unit-length embedding
   * @throws IllegalStateException after {@link #close()}
   */
  public float[] encode(BufferedImage image) {
    if (batcher != null) {
      return batcher.submit(image);
    }
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("image encoder is closed");
      }
      return embedder.embed(List.of(image))[0];
    } finally {
      lock.unlock();
    }
  }

  /** Closes the embedder once the calls in progress (a batch's: all already submitted) are done. */
  @Override
  public void close() {
    if (batcher != null) {
      batcher.close();
    }
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        embedder.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
