package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryBatcherTest {
  /** Batches as runBatch saw them; item 0 holds the owner thread until {@link #gate} opens. */
  private final List<List<Integer>> calls = new CopyOnWriteArrayList<>();

  private final CountDownLatch gate = new CountDownLatch(1);
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void stopCallers() {
    gate.countDown();
    callers.shutdownNow();
  }

  /** Squares each item; a negative item fails the whole batch it is in; 0 waits for the gate. */
  private List<Integer> square(List<Integer> items) {
    calls.add(List.copyOf(items));
    if (items.contains(0)) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i : items) {
      if (i < 0) {
        throw new IllegalArgumentException("negative item: " + i);
      }
    }
    return items.stream().map(i -> i * i).toList();
  }

  private QueryBatcher<Integer, Integer> batcher(int maxImages, Duration maxWait) {
    return new QueryBatcher<>("test-batcher", new QueryBatching(maxImages, maxWait), this::square);
  }

  /** Holds the owner thread in a batch of {0}, then queues {@code items} behind it. */
  private List<Future<Integer>> queueBehindBlocker(
      QueryBatcher<Integer, Integer> batcher, int... items) throws InterruptedException {
    callers.submit(() -> batcher.submit(0));
    while (calls.isEmpty()) {
      Thread.sleep(1);
    }
    List<Future<Integer>> futures = new ArrayList<>();
    for (int item : items) {
      futures.add(callers.submit(() -> batcher.submit(item)));
    }
    while (batcher.queued() < items.length) {
      Thread.sleep(1);
    }
    return futures;
  }

  @Test
  void requestsWaitingTogetherShareOneBatchAndEachGetsItsOwnResult() throws Exception {
    try (QueryBatcher<Integer, Integer> batcher = batcher(4, Duration.ofMillis(5))) {
      List<Future<Integer>> futures = queueBehindBlocker(batcher, 1, 2, 3, 4);
      gate.countDown();
      for (int i = 0; i < 4; i++) {
        assertEquals((i + 1) * (i + 1), futures.get(i).get());
      }
      assertEquals(2, calls.size(), calls.toString());
      assertEquals(Set.of(1, 2, 3, 4), new HashSet<>(calls.get(1)), calls.toString());
    }
  }

  @Test
  void aBatchHoldsAtMostMaxImages() throws Exception {
    try (QueryBatcher<Integer, Integer> batcher = batcher(4, Duration.ZERO)) {
      List<Future<Integer>> futures = queueBehindBlocker(batcher, 1, 2, 3, 4, 5, 6);
      gate.countDown();
      for (Future<Integer> f : futures) {
        f.get();
      }
      assertEquals(List.of(1, 4, 2), calls.stream().map(List::size).toList(), calls.toString());
    }
  }

  @Test
  void oneFailingItemFailsOnlyItsOwnCaller() throws Exception {
    try (QueryBatcher<Integer, Integer> batcher = batcher(4, Duration.ofMillis(5))) {
      List<Future<Integer>> futures = queueBehindBlocker(batcher, 3, -2, 5);
      gate.countDown();
      assertEquals(9, futures.get(0).get());
      assertEquals(25, futures.get(2).get());
      Throwable failed =
          assertThrows(java.util.concurrent.ExecutionException.class, () -> futures.get(1).get())
              .getCause();
      assertTrue(failed instanceof IllegalArgumentException, failed.toString());
      assertEquals("negative item: -2", failed.getMessage());
      assertEquals(
          3, new HashSet<>(calls.get(1)).size(), "the three shared one batch first: " + calls);
      assertEquals(5, calls.size(), "then each ran alone: " + calls);
    }
  }

  @Test
  void aLoneRequestWaitsNoLongerThanMaxWait() {
    try (QueryBatcher<Integer, Integer> batcher = batcher(8, Duration.ofMillis(20))) {
      assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals(49, batcher.submit(7)));
      assertEquals(List.of(List.of(7)), calls);
    }
  }

  @Test
  void aRequestArrivingWithinTheWaitJoinsTheBatch() throws Exception {
    try (QueryBatcher<Integer, Integer> batcher = batcher(8, Duration.ofSeconds(1))) {
      Future<Integer> first = callers.submit(() -> batcher.submit(2));
      Thread.sleep(20);
      Future<Integer> second = callers.submit(() -> batcher.submit(3));
      assertEquals(4, first.get());
      assertEquals(9, second.get());
      assertEquals(
          List.of(2), calls.stream().map(List::size).toList(), "one batch of both: " + calls);
    }
  }

  @Test
  void closeFinishesQueuedRequestsThenRefusesNewOnes() throws Exception {
    QueryBatcher<Integer, Integer> batcher = batcher(2, Duration.ZERO);
    List<Future<Integer>> futures = queueBehindBlocker(batcher, 1, 2, 3);
    CompletableFuture<Void> closed = CompletableFuture.runAsync(batcher::close, callers);
    while (!batcher.closed()) {
      Thread.sleep(1);
    }
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> batcher.submit(9));
    assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    gate.countDown();
    closed.get();
    assertEquals(
        List.of(1, 4, 9),
        List.of(futures.get(0).get(), futures.get(1).get(), futures.get(2).get()));
    IllegalStateException after =
        assertThrows(IllegalStateException.class, () -> batcher.submit(4));
    assertTrue(after.getMessage().contains("closed"), after.getMessage());
    batcher.close();
  }

  @Test
  void batchingRejectsOutOfRangeSettingsNamingTheValue() {
    IllegalArgumentException size =
        assertThrows(IllegalArgumentException.class, () -> new QueryBatching(0, Duration.ZERO));
    assertEquals("maxImages must be between 1 and 64, got: 0", size.getMessage());
    IllegalArgumentException wait =
        assertThrows(
            IllegalArgumentException.class, () -> new QueryBatching(4, Duration.ofSeconds(2)));
    assertEquals("maxWait must be between 0 and 1 s, got: PT2S", wait.getMessage());
  }
}
