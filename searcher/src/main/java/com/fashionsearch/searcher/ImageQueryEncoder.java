package com.fashionsearch.searcher;

import com.fashionsearch.models.ImageEmbedder;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Encodes query images with one embedder that it owns. A network is not thread-safe, so calls are
 * serialised (fairly, in arrival order); the embedder is closed with the encoder.
 *
 * <p>Thread-safe.
 */
public final class ImageQueryEncoder implements AutoCloseable {
  private final ImageEmbedder embedder;
  private final ReentrantLock lock = new ReentrantLock(true);
  private boolean closed;

  /** @param embedder the embedder this encoder now owns */
  public ImageQueryEncoder(ImageEmbedder embedder) {
    this.embedder = embedder;
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

  /** Closes the embedder once the call in progress, if any, is done. */
  @Override
  public void close() {
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
