package com.fashionsearch.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.indexer.ReindexSummary;
import com.fashionsearch.models.EmbedderIdentity;
import com.fashionsearch.models.LazyEmbedder;
import com.fashionsearch.searcher.ContractCatalog;
import com.fashionsearch.searcher.GrayGridEmbedder;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import com.fashionsearch.searcher.SearchResults;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The SolrCloud reindex through the product's own path ({@link SolrReindexer}) on the shared test
 * cluster ({@link SolrTestCloud}): fashion-1k written as a collection generation behind the alias
 * from the local index's embedding cache (nothing re-embedded), an alias switch under query load
 * that fails no request, and a failed run that leaves the alias alone and is cleaned up by the
 * next. What the searcher answers is {@link SolrContractTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrCloudReindexTest {
  private static final String ALIAS = SolrTestCloud.ALIAS;
  private static final long SEED = 20261127L;

  private SolrTestCloud cloud;
  private CloudSolrClient client;
  private SolrProductSearcher searcher;
  private ContractCatalog catalog;
  private long start;

  @BeforeAll
  void open() throws Exception {
    cloud = SolrTestCloud.get();
    client = cloud.client();
    catalog = cloud.catalog();
    searcher =
        SolrProductSearcher.open(
            SolrTarget.urls(String.join(",", cloud.urls()), ALIAS),
            (m, w) -> new GrayGridEmbedder());
    start = new SolrGenerations(client, ALIAS).current().getAsLong();
  }

  @AfterAll
  void close() throws IOException {
    if (searcher != null) {
      searcher.close();
    }
  }

  private ReindexSummary reindex(java.nio.file.Path cacheDir, GrayGridEmbedder embedder)
      throws IOException {
    return SolrTestCloud.reindex(client, catalog, ALIAS, cacheDir, embedder);
  }

  @Test
  @Order(1)
  void reindexWritesAGenerationBehindTheAliasFromTheLocalEmbeddingCache() throws IOException {
    ReindexSummary first = cloud.first();
    assertEquals(1, first.generation());
    assertEquals(1, start, "only this class moves the alias");
    assertTrue(first.previous().isEmpty());
    assertTrue(first.indexed() > 900, "indexed " + first.indexed());
    assertEquals(
        catalog.summary().indexed(), first.indexed(), "both backends hold the same products");
    assertEquals(0, first.embedded(), "moving the catalog to Solr re-embeds nothing");
    assertEquals(first.indexed(), first.fromCache());
    assertEquals(
        Optional.of(ALIAS + "_g" + start), new SolrGenerations(client, ALIAS).aliasTarget());
    assertEquals(start, searcher.info().generation());
    assertEquals(first.indexed(), searcher.info().documents());
    assertEquals("gray-grid", searcher.info().modelId());
    assertEquals(GrayGridEmbedder.DIMENSION, searcher.info().dimension());
  }

  @Test
  @Order(2)
  void aliasSwitchUnderQueryLoadFailsNoRequest() throws Exception {
    List<String> ids = new ArrayList<>(catalog.vectors().keySet());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger done = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    Set<Long> generationsSeen = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      long seed = SEED + t;
      int kind = t;
      threads.add(
          Thread.ofPlatform()
              .name("load-" + t)
              .start(
                  () -> {
                    Random random = new Random(seed);
                    while (!stop.get()) {
                      try {
                        float[] query = catalog.vectors().get(ids.get(random.nextInt(ids.size())));
                        if (kind == 2) {
                          // straight through the alias, as any other Solr client would
                          ModifiableSolrParams params = new ModifiableSolrParams();
                          params.set(
                              "q",
                              "{!knn f=embedding topK=10}"
                                  + Arrays.toString(query).replace(" ", ""));
                          params.set("fq", SolrSchema.PRODUCTS_ONLY);
                          params.set("rows", 10);
                          long found =
                              client
                                  .query(ALIAS, params, SolrRequest.METHOD.POST)
                                  .getResults()
                                  .size();
                          if (found != 10) {
                            throw new AssertionError("alias query returned " + found + " results");
                          }
                        } else {
                          SearchResults r =
                              searcher.similarToVector(
                                  query,
                                  SearchFilters.NONE.and("masterCategory", "Apparel"),
                                  SearchOptions.top(10));
                          if (r.hits().size() != 10) {
                            throw new AssertionError(
                                "searcher returned " + r.hits().size() + " results");
                          }
                          generationsSeen.add(r.index().generation());
                          if (random.nextInt(4) == 0) {
                            searcher.refresh();
                          }
                        }
                        done.incrementAndGet();
                      } catch (Throwable e) {
                        failures.add(e);
                      }
                    }
                  }));
    }
    ReindexSummary second;
    try {
      second = reindex(catalog.cacheDir(), new GrayGridEmbedder());
      Thread.sleep(500);
      searcher.refresh();
      Thread.sleep(500);
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
    }
    failures.forEach(Throwable::printStackTrace);
    System.out.printf(
        Locale.ROOT,
        "alias switch under load: %d requests, %d failed, generations seen %s%n",
        done.get(),
        failures.size(),
        generationsSeen);
    assertEquals(0, failures.size(), "requests failed during the alias switch");
    assertTrue(done.get() > 20, "load ran " + done.get() + " requests");
    assertEquals(2, second.generation());
    assertEquals(1, second.previous().getAsLong());
    assertEquals(0, second.embedded(), "the embedding cache is reused: nothing re-embedded");
    assertEquals(second.indexed(), second.fromCache());
    assertEquals(Set.of(1L, 2L), generationsSeen);
    assertEquals(2, searcher.info().generation());
    assertEquals(
        List.of(1L, 2L), new SolrGenerations(client, ALIAS).existing(), "previous generation kept");
  }

  @Test
  @Order(3)
  void aFailedRunLeavesTheAliasAndIsCleanedUpByTheNext() throws Exception {
    SolrGenerations generations = new SolrGenerations(client, ALIAS);
    // an empty cache makes the embedder run; it fails on its third batch, mid-way through the
    // collection
    assertThrows(
        IllegalStateException.class,
        () -> reindex(cloud.tempDir("empty-cache-" + start), new GrayGridEmbedder(2)));
    assertEquals(Optional.of(ALIAS + "_g2"), generations.aliasTarget());
    assertEquals(List.of(1L, 2L, 3L), generations.existing());
    assertFalse(searcher.refresh());
    assertEquals(
        10,
        searcher
            .similarToVector(
                catalog.vectors().values().iterator().next(),
                SearchFilters.NONE,
                SearchOptions.top(10))
            .hits()
            .size());

    ReindexSummary next = reindex(catalog.cacheDir(), new GrayGridEmbedder());
    assertEquals(4, next.generation());
    assertEquals(
        List.of(2L, 4L),
        generations.existing(),
        "leftover g3 and old g1 deleted, previous g2 kept");
    assertTrue(searcher.refresh());
    assertEquals(4, searcher.info().generation());
  }

  @Test
  @Order(4)
  void aDeferredNetworkIsNeverBuiltFromAFullCacheAndFailsBeforeAnyCollectionFromAnEmptyOne()
      throws Exception {
    SolrGenerations generations = new SolrGenerations(client, ALIAS);
    EmbedderIdentity identity = new GrayGridEmbedder().identity();
    AtomicInteger builds = new AtomicInteger();
    SolrReindexOptions full =
        new SolrReindexOptions(catalog.catalogDir(), catalog.cacheDir(), 2, 1, 64, false);
    ReindexSummary summary =
        new SolrReindexer(
                full,
                client,
                ALIAS,
                () ->
                    new LazyEmbedder(
                        identity,
                        () -> {
                          builds.incrementAndGet();
                          return new GrayGridEmbedder();
                        }),
                ProgressListener.NONE)
            .run();
    assertEquals(0, builds.get(), "every vector came from the cache: no network");
    assertEquals(0, summary.embedded());
    assertEquals(5, summary.generation());

    List<Long> before = generations.existing();
    SolrReindexOptions empty =
        new SolrReindexOptions(
            catalog.catalogDir(), cloud.tempDir("no-cache-" + start), 2, 1, 64, false);
    IllegalStateException broken = new IllegalStateException("these weights cannot be built");
    SolrReindexer failing =
        new SolrReindexer(
            empty,
            client,
            ALIAS,
            () ->
                new LazyEmbedder(
                    identity,
                    () -> {
                      throw broken;
                    }),
            ProgressListener.NONE);
    assertSame(broken, assertThrows(IllegalStateException.class, failing::run));
    assertEquals(before, generations.existing(), "no collection created");
    assertEquals(Optional.of(ALIAS + "_g5"), generations.aliasTarget());
  }
}
