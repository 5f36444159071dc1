package com.fashionsearch.searcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Dynamic batching: callers {@link #submit} one item each and block; a single owner thread takes
 * the first waiting item, collects more until it holds {@link QueryBatching#maxImages()} or {@link
 * QueryBatching#maxWait()} has passed since it took the first, and runs them through one call of
 * {@code runBatch}. When a batch of several fails, each of its items is run again alone, so that
 * one bad item fails only its own caller. {@link #close} lets the items already submitted finish,
 * refuses new ones, and stops the owner thread.
 *
 * <p>Thread-safe. {@code runBatch} is only ever called from the owner thread, one call at a time,
 * so it may use a resource that is not thread-safe (a network).
 *
 * @param <T> an item
 * @param <R> its result
 */
final class QueryBatcher<T, R> implements AutoCloseable {
  private static final Object STOP = new Object();

  private final QueryBatching batching;
  private final Function<List<T>, List<R>> runBatch;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread owner;
  private boolean closed;

  /**
   * @param name the owner thread's name
   * @param runBatch results of a batch, one per item and in order; called from the owner thread
   *     only
   */
  QueryBatcher(String name, QueryBatching batching, Function<List<T>, List<R>> runBatch) {
    this.batching = Objects.requireNonNull(batching, "batching");
    this.runBatch = Objects.requireNonNull(runBatch, "runBatch");
    this.owner = Thread.ofPlatform().name(name).daemon().start(this::loop);
  }

  /**
   * Runs {@code item} in the next batch and waits for its result.
   *
   * @throws IllegalStateException after {@link #close()}, or when the wait is interrupted
   * @throws RuntimeException what {@code runBatch} threw for this item alone
   */
  R submit(T item) {
    Objects.requireNonNull(item, "item");
    Pending<T, R> pending = new Pending<>(item);
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the query batcher is closed");
      }
      queue.add(pending);
    }
    try {
      return pending.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the query batch", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("query batch failed", e.getCause());
    }
  }

  /** Whether {@link #close} has been called (new items are refused). */
  synchronized boolean closed() {
    return closed;
  }

  /** Items submitted and not yet taken into a batch. */
  int queued() {
    return (int) queue.stream().filter(o -> o != STOP).count();
  }

  /**
   * Finishes the items already submitted, refuses new ones and waits for the owner thread to stop.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(STOP);
    }
    boolean interrupted = false;
    while (owner.isAlive()) {
      try {
        owner.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @SuppressWarnings("unchecked")
  private void loop() {
    List<Pending<T, R>> batch = new ArrayList<>(batching.maxImages());
    boolean stop = false;
    while (!stop) {
      Object first = take();
      if (first == STOP) {
        return;
      }
      batch.add((Pending<T, R>) first);
      long deadline = System.nanoTime() + batching.maxWait().toNanos();
      while (batch.size() < batching.maxImages()) {
        Object next = poll(deadline - System.nanoTime());
        if (next == null) {
          break;
        }
        if (next == STOP) {
          stop = true;
          break;
        }
        batch.add((Pending<T, R>) next);
      }
      run(batch);
      batch.clear();
    }
  }

  private Object take() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // only close() ends the loop, through STOP, so that no submitted item is left waiting
      }
    }
  }

  private Object poll(long nanos) {
    try {
      return nanos <= 0 ? queue.poll() : queue.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return queue.poll();
    }
  }

  private void run(List<Pending<T, R>> batch) {
    try {
      complete(batch, runBatch.apply(batch.stream().map(p -> p.item).toList()));
    } catch (RuntimeException | Error e) {
      if (batch.size() == 1) {
        batch.get(0).result.completeExceptionally(e);
        return;
      }
      for (Pending<T, R> one : batch) {
        try {
          complete(List.of(one), runBatch.apply(List.of(one.item)));
        } catch (RuntimeException | Error alone) {
          one.result.completeExceptionally(alone);
        }
      }
    }
  }

  private static <T, R> void complete(List<Pending<T, R>> batch, List<R> results) {
    if (results == null || results.size() != batch.size()) {
      throw new IllegalStateException(
          "a batch of "
              + batch.size()
              + " items returned "
              + (results == null ? "null" : results.size() + " results"));
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result.complete(results.get(i));
    }
  }

  private static final class Pending<T, R> {
    final T item;
    final CompletableFuture<R> result = new CompletableFuture<>();

    Pending(T item) {
      this.item = item;
    }
  }
}
