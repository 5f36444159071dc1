package com.fashionsearch.server;

import com.fashionsearch.models.ImageDecoder;
import java.time.Duration;
import java.util.Objects;

/**
 * How much work and which connections {@link FashionServer} accepts at once. Image uploads (decode
 * and embed) take a bounded share of the memory and cores; what does not fit waits at most {@link
 * #uploadWait()} and then gets 429 with {@code Retry-After}. The HTTP limits bound what one client
 * can hold: header size, idle connections, bodies trickled in slowly. Immutable and thread-safe.
 *
 * @param uploadWorkers image uploads decoded and embedded at once (the cores they may take)
 * @param largeUploadWorkers of those, how many may be large images (over {@link
 *     #LARGE_IMAGE_PIXELS} declared in the header), whose decoding reads every source row even when
 *     subsampled; the other workers stay free for ordinary photos
 * @param uploadQueue image uploads admitted at once, running or waiting; one more gets 429 at once,
 *     before its body is read
 * @param decodedPixelBudget decoded pixels all running uploads may hold together (about 8 bytes
 *     each: the reader's raster and the RGB copy); an upload's share is read from its header
 * @param uploadWait how long an upload waits for a worker and its pixels before 429
 * @param maxThreads the HTTP thread pool's size: cheap requests (by id, facets, health, metrics)
 *     take the threads that uploads (at most {@code uploadQueue}) leave
 * @param maxRequestHeaderBytes the largest request line and headers; more gets 431
 * @param idleTimeout a connection idle this long is closed
 * @param minRequestBytesPerSecond a request body arriving slower than this is cut off (408); 0: no
 *     limit
 */
public record ServerLimits(
    int uploadWorkers,
    int largeUploadWorkers,
    int uploadQueue,
    long decodedPixelBudget,
    Duration uploadWait,
    int maxThreads,
    int maxRequestHeaderBytes,
    Duration idleTimeout,
    long minRequestBytesPerSecond) {

  /**
   * An image declaring more pixels than this (e.g. 2,000 x 2,000) is large: it takes a large-upload
   * worker.
   */
  public static final long LARGE_IMAGE_PIXELS = 4_000_000L;

  private static final int CORES =
      Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));

  /**
   * The default: one upload worker per core (at most 8), half of them (at least one) for large
   * images, 32 uploads admitted, 32 decoded megapixels, 2 s wait; 200 threads, 8 KiB of headers, 30
   * s idle timeout, bodies at 1 KiB/s or faster.
   */
  public static final ServerLimits DEFAULT =
      new ServerLimits(
          CORES,
          Math.max(1, CORES / 2),
          32,
          32_000_000L,
          Duration.ofSeconds(2),
          200,
          8 * 1024,
          Duration.ofSeconds(30),
          1024);

  public ServerLimits {
    Objects.requireNonNull(uploadWait, "uploadWait");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (uploadWorkers < 1) {
      throw new IllegalArgumentException("uploadWorkers must be at least 1, got: " + uploadWorkers);
    }
    if (largeUploadWorkers < 1 || largeUploadWorkers > uploadWorkers) {
      throw new IllegalArgumentException(
          "largeUploadWorkers must be between 1 and uploadWorkers ("
              + uploadWorkers
              + "), got: "
              + largeUploadWorkers);
    }
    if (uploadQueue < uploadWorkers) {
      throw new IllegalArgumentException(
          "uploadQueue must be at least uploadWorkers ("
              + uploadWorkers
              + "), got: "
              + uploadQueue);
    }
    long oneImage = (long) ImageDecoder.DEFAULT_MIN_SIDE * ImageDecoder.DEFAULT_MIN_SIDE;
    if (decodedPixelBudget < oneImage) {
      throw new IllegalArgumentException(
          "decodedPixelBudget must hold one subsampled image ("
              + oneImage
              + " pixels), got: "
              + decodedPixelBudget);
    }
    if (uploadWait.isNegative()) {
      throw new IllegalArgumentException("uploadWait must not be negative, got: " + uploadWait);
    }
    if (maxThreads < uploadQueue + 8) {
      throw new IllegalArgumentException(
          "maxThreads must leave at least 8 threads beside the upload queue ("
              + uploadQueue
              + "), got: "
              + maxThreads);
    }
    if (maxRequestHeaderBytes < 1024) {
      throw new IllegalArgumentException(
          "maxRequestHeaderBytes must be at least 1024, got: " + maxRequestHeaderBytes);
    }
    if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("idleTimeout must be at least 1 s, got: " + idleTimeout);
    }
    if (minRequestBytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "minRequestBytesPerSecond must not be negative, got: " + minRequestBytesPerSecond);
    }
  }

  /** The {@code Retry-After} a 429 carries: the wait rounded up to whole seconds, at least 1. */
  public long retryAfterSeconds() {
    return Math.max(1, (uploadWait.toMillis() + 999) / 1000);
  }

  /** The same with other upload bounds, half the workers (at least one) for large images. */
  public ServerLimits withUploads(int workers, int queue, long pixelBudget, Duration wait) {
    return withUploads(workers, Math.max(1, workers / 2), queue, pixelBudget, wait);
  }

  /** The same with other upload bounds. */
  public ServerLimits withUploads(
      int workers, int largeWorkers, int queue, long pixelBudget, Duration wait) {
    return new ServerLimits(
        workers,
        largeWorkers,
        queue,
        pixelBudget,
        wait,
        maxThreads,
        maxRequestHeaderBytes,
        idleTimeout,
        minRequestBytesPerSecond);
  }

  /** The same with other HTTP connection limits. */
  public ServerLimits withHttp(
      int threads, int headerBytes, Duration idle, long minBytesPerSecond) {
    return new ServerLimits(
        uploadWorkers,
        largeUploadWorkers,
        uploadQueue,
        decodedPixelBudget,
        uploadWait,
        threads,
        headerBytes,
        idle,
        minBytesPerSecond);
  }
}
