package com.fashionsearch.models;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.Supplier;

/**
 * An embedder whose identity is known up front and whose network is built on the first {@link
 * #embed} (or {@link #ensureBuilt}), so that a run that finds every vector in a cache never builds
 * it. The built network must report the same identity, or the build fails: a vector is never filed
 * under ids it was not made with.
 *
 * <p>Thread-safe: the build happens once, and calls to the built network are serialised (a network
 * has one owner). {@link #close} closes the network only if it was built.
 */
public final class LazyEmbedder implements ImageEmbedder {
  private final EmbedderIdentity identity;
  private final int visualDimension;
  private final Supplier<? extends ImageEmbedder> network;
  private ImageEmbedder built; // guarded by this
  private boolean closed; // guarded by this

  /**
   * @param identity what the network will be
   * @param network builds the network (called at most once)
   */
  public LazyEmbedder(EmbedderIdentity identity, Supplier<? extends ImageEmbedder> network) {
    this(identity, identity == null ? 1 : identity.dimension(), network);
  }

  /**
   * @param identity what the network will be
   * @param visualDimension its {@link #visualDimension()}
   * @param network builds the network (called at most once)
   */
  public LazyEmbedder(
      EmbedderIdentity identity, int visualDimension, Supplier<? extends ImageEmbedder> network) {
    if (identity == null || network == null) {
      throw new IllegalArgumentException(
          "identity and network must not be null, got: " + identity + ", " + network);
    }
    if (visualDimension < 1 || visualDimension > identity.dimension()) {
      throw new IllegalArgumentException(
          "the visual part must be 1 to "
              + identity.dimension()
              + " dimensions, got: "
              + visualDimension);
    }
    this.identity = identity;
    this.visualDimension = visualDimension;
    this.network = network;
  }

  @Override
  public String modelId() {
    return identity.modelId();
  }

  @Override
  public String weightsId() {
    return identity.weightsId();
  }

  @Override
  public boolean pretrained() {
    return identity.pretrained();
  }

  @Override
  public String preprocessing() {
    return identity.preprocessing();
  }

  @Override
  public int dimension() {
    return identity.dimension();
  }

  @Override
  public int visualDimension() {
    return visualDimension;
  }

  @Override
  public EmbedderIdentity identity() {
    return identity;
  }

  /** Whether the network has been built. */
  public synchronized boolean isBuilt() {
    return built != null;
  }

  /**
   * Builds the network now unless it is built.
   *
   * @throws IllegalStateException after {@link #close}, or when the network reports another
   *     identity
   */
  @Override
  public synchronized void ensureBuilt() {
    network();
  }

  @Override
  public synchronized float[][] embed(List<BufferedImage> images) {
    return network().embed(images);
  }

  private ImageEmbedder network() {
    if (closed) {
      throw new IllegalStateException("embedder " + identity + " is closed");
    }
    if (built == null) {
      ImageEmbedder made = network.get();
      EmbedderIdentity actual = EmbedderIdentity.of(made);
      if (!actual.equals(identity) || made.visualDimension() != visualDimension) {
        made.close();
        throw new IllegalStateException(
            "the network built for " + identity + " reports another identity: " + actual);
      }
      built = made;
    }
    return built;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (built != null) {
      built.close();
      built = null;
    }
  }
}
