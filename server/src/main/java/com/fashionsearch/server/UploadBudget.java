package com.fashionsearch.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The share of memory and cores image uploads may take at once ({@link ServerLimits}): at most
 * {@code uploadQueue} uploads admitted, {@code uploadWorkers} of them decoding and embedding (at
 * most {@code largeUploadWorkers} of those large images, so that a flood of large uploads leaves
 * workers to ordinary photos, and at most as many again wait for them: a further large image is
 * refused at once and frees its place in the queue), their decoded rasters within {@code
 * decodedPixelBudget}. An upload that finds the queue full is refused at once; one admitted waits
 * for a worker and its pixels until {@code uploadWait} after its admission, then is refused. A
 * refusal is a {@link ServerBusyException} (429 with {@code Retry-After}). Cheap requests never
 * pass through here.
 *
 * <p>Thread-safe.
 */
final class UploadBudget {
  /** Pixels are counted in units of this many, so that a long budget fits a semaphore's int. */
  private static final long PIXEL_UNIT = 1024;

  private final ServerLimits limits;
  private final AtomicInteger admitted = new AtomicInteger();

  /** Large uploads running or waiting for a large-image worker: at most twice those workers. */
  private final AtomicInteger largeAdmitted = new AtomicInteger();

  private final Semaphore workers;
  private final Semaphore largeWorkers;
  private final Semaphore pixelUnits;
  private final int totalUnits;
  private final AtomicLong refused = new AtomicLong();

  UploadBudget(ServerLimits limits) {
    this.limits = limits;
    this.workers = new Semaphore(limits.uploadWorkers(), true);
    this.largeWorkers = new Semaphore(limits.largeUploadWorkers(), true);
    this.totalUnits = (int) Math.min(Integer.MAX_VALUE, limits.decodedPixelBudget() / PIXEL_UNIT);
    this.pixelUnits = new Semaphore(totalUnits, true);
  }

  /**
   * Admits one upload, or refuses it at once when {@code uploadQueue} are already admitted.
   *
   * @throws ServerBusyException when the queue is full
   */
  Ticket admit() {
    int now = admitted.incrementAndGet();
    if (now > limits.uploadQueue()) {
      admitted.decrementAndGet();
      throw busy("the server is busy with " + limits.uploadQueue() + " image uploads");
    }
    return new Ticket(System.nanoTime() + limits.uploadWait().toNanos());
  }

  /** Uploads refused so far. */
  long refused() {
    return refused.get();
  }

  /** Uploads admitted now, running or waiting. */
  int admitted() {
    return admitted.get();
  }

  private ServerBusyException busy(String why) {
    refused.incrementAndGet();
    return new ServerBusyException(
        why + "; try again in " + limits.retryAfterSeconds() + " s", limits.retryAfterSeconds());
  }

  /**
   * One admitted upload: reserve a worker and pixels, then close to give everything back. Not
   * thread-safe.
   */
  final class Ticket implements AutoCloseable {
    private final long deadline;
    private boolean worker;
    private boolean large;
    private boolean largeCounted;
    private int units;
    private boolean closed;

    private Ticket(long deadline) {
      this.deadline = deadline;
    }

    /**
     * Waits (until the admission's deadline) for a large-image worker when the image declares more
     * than {@link ServerLimits#LARGE_IMAGE_PIXELS}, then for {@code decodedPixels} of the pixel
     * budget, then a worker. A raster larger than the whole budget takes all of it, so that it runs
     * alone.
     *
     * @param sourcePixels the pixels the image's header declares
     * @param decodedPixels the pixels its decoded (subsampled) raster holds
     * @throws ServerBusyException when any of them is not free in time
     */
    void reserve(long sourcePixels, long decodedPixels) {
      if (worker || units > 0 || largeCounted) {
        throw new IllegalStateException("reserve is called once per upload");
      }
      if (sourcePixels > ServerLimits.LARGE_IMAGE_PIXELS) {
        int bound = 2 * limits.largeUploadWorkers();
        if (largeAdmitted.incrementAndGet() > bound) {
          largeAdmitted.decrementAndGet();
          throw busy(
              "the server is busy with "
                  + bound
                  + " large images (over "
                  + ServerLimits.LARGE_IMAGE_PIXELS
                  + " pixels)");
        }
        largeCounted = true;
        if (!acquire(largeWorkers, 1)) {
          throw busy(
              "all "
                  + limits.largeUploadWorkers()
                  + " workers for large images (over "
                  + ServerLimits.LARGE_IMAGE_PIXELS
                  + " pixels) are busy");
        }
        large = true;
      }
      int wanted =
          (int) Math.max(1, Math.min(totalUnits, (decodedPixels + PIXEL_UNIT - 1) / PIXEL_UNIT));
      if (!acquire(pixelUnits, wanted)) {
        throw busy(
            "the server's image memory ("
                + limits.decodedPixelBudget()
                + " decoded pixels) is taken by other uploads");
      }
      units = wanted;
      if (!acquire(workers, 1)) {
        throw busy("all " + limits.uploadWorkers() + " image workers are busy");
      }
      worker = true;
    }

    private boolean acquire(Semaphore semaphore, int permits) {
      try {
        return semaphore.tryAcquire(
            permits, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (worker) {
        workers.release();
      }
      if (units > 0) {
        pixelUnits.release(units);
      }
      if (large) {
        largeWorkers.release();
      }
      if (largeCounted) {
        largeAdmitted.decrementAndGet();
      }
      admitted.decrementAndGet();
    }
  }
}
