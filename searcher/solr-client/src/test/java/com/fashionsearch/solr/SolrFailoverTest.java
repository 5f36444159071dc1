package com.fashionsearch.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.searcher.ContractCatalog;
import com.fashionsearch.searcher.GrayGridEmbedder;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A SolrCloud node killed while queries run: a 2-node cluster of its own (one node in the cluster's
 * JVM with ZooKeeper, the other in a JVM of its own, killed with SIGKILL: no shutdown, no goodbye
 * to ZooKeeper, as a crashed machine), fashion-1k in two collections of 2 shards each, one with
 * replication factor 2 (a replica of every shard on each node) and one with replication factor 1
 * (each shard on one node only). Queries on the first keep answering, with the results they gave
 * before the kill; queries on the second fail within a bounded time with a message naming the
 * collection, never hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SolrFailoverTest {
  private static final String REPLICATED = "replicated";
  private static final String SINGLE = "single";

  /** The longest any query may take, the dead node's included: the searcher's timeouts bound it. */
  private static final Duration QUERY_BOUND = Duration.ofSeconds(15);

  private Path dir;
  private LocalSolrCloudProcess first;
  private LocalSolrCloudProcess second;
  private CloudSolrClient client;
  private ContractCatalog catalog;

  @BeforeAll
  void start() throws Exception {
    ContractCatalog.sharedCatalog();
    dir = Files.createTempDirectory("solr-failover");
    catalog = ContractCatalog.build(dir.resolve("index"));
    first = LocalSolrCloudProcess.start(1, dir.resolve("solr"));
    second = LocalSolrCloudProcess.startNode(first.zkHost(), dir.resolve("solr2"));
    client = SolrTarget.zk(first.zkHost(), REPLICATED).connect();
    awaitLiveNodes(2, Duration.ofSeconds(60));
    reindex(REPLICATED, 2);
    reindex(SINGLE, 1);
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (second != null) {
      second.kill();
    }
    if (first != null) {
      first.close();
    }
    if (dir != null) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void searchesOnTwoReplicasKeepAnsweringWhenANodeIsKilledAndOnOneReplicaFailFast()
      throws Exception {
    String secondNode = nodeName(second.urls().get(0));
    // every shard of the replicated collection has a replica on each node; each node holds one
    // shard of the single one, so killing the second node leaves a shard of it without a replica
    for (Slice shard : collection(REPLICATED).getSlices()) {
      assertEquals(
          Set.of(nodeName(first.urls().get(0)), secondNode),
          nodesOf(shard),
          "replicas of " + shard.getName());
    }
    long shardsOnSecond =
        collection(SINGLE).getSlices().stream()
            .filter(s -> nodesOf(s).contains(secondNode))
            .count();
    assertEquals(1, shardsOnSecond, "shards of " + SINGLE + " on the node to kill");

    try (SolrProductSearcher replicated = open(REPLICATED);
        SolrProductSearcher single = open(SINGLE)) {
      Map<String, Callable<Object>> queries = queries(replicated);
      Map<String, Object> expected = new LinkedHashMap<>();
      for (Map.Entry<String, Callable<Object>> q : queries.entrySet()) {
        expected.put(q.getKey(), q.getValue().call());
      }
      List<Outcome> outcomes = new CopyOnWriteArrayList<>();
      AtomicBoolean running = new AtomicBoolean(true);
      Thread load =
          Thread.ofPlatform()
              .name("failover-queries")
              .start(
                  () -> {
                    while (running.get()) {
                      for (Map.Entry<String, Callable<Object>> q : queries.entrySet()) {
                        long start = System.nanoTime();
                        String error = null;
                        try {
                          Object answer = q.getValue().call();
                          if (!answer.equals(expected.get(q.getKey()))) {
                            error = "another answer than before the kill";
                          }
                        } catch (Exception e) {
                          error = e.toString();
                        }
                        outcomes.add(
                            new Outcome(q.getKey(), start, System.nanoTime() - start, error));
                      }
                    }
                  });

      // two full rounds before the kill (the first queries of a fresh JVM are slow)
      long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (outcomes.size() < 2 * queries.size() && System.nanoTime() < warm) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      long killed = System.nanoTime();
      second.kill();

      // before ZooKeeper notices (the dead node's session has not expired yet): the coordinator's
      // request to the dead node's shard of the single collection is refused at once
      // the first query finds the port closed, or the client has already marked the node dead
      assertFailsFast(
          single, "just after the kill", "Connection refused", "No live SolrServers available");
      awaitLiveNodes(1, Duration.ofSeconds(120));
      long noticed = System.nanoTime();
      // and once the cluster knows: Solr says that no live replica holds that shard
      assertFailsFast(single, "once ZooKeeper dropped the node", "no active servers hosting shard");
      Thread.sleep(3_000);
      running.set(false);
      load.join(QUERY_BOUND.toMillis() * 2);
      assertFalse(load.isAlive(), "the query thread ended");

      List<Outcome> before = outcomes.stream().filter(o -> o.start < killed).toList();
      List<Outcome> after = outcomes.stream().filter(o -> o.start >= killed).toList();
      List<Outcome> failed = outcomes.stream().filter(o -> o.error != null).toList();
      long slowest = outcomes.stream().mapToLong(o -> o.nanos).max().orElse(0);
      System.out.printf(
          "failover: %d queries before the kill, %d after (%d after ZooKeeper dropped the node %.1f"
              + " s after the kill), %d failed, slowest %.0f ms%n",
          before.size(),
          after.size(),
          outcomes.stream().filter(o -> o.start >= noticed).count(),
          (noticed - killed) / 1e9,
          failed.size(),
          slowest / 1e6);
      assertTrue(
          before.size() >= 2 * queries.size(), "queries ran before the kill: " + before.size());
      assertTrue(
          outcomes.stream().filter(o -> o.start >= noticed).count() >= queries.size(),
          "queries ran after ZooKeeper dropped the node");
      // No failure is tolerated, not even a query in flight on the dead node at the kill: SolrJ's
      // load balancer sends a query whose node refuses or drops the connection to the next replica
      // (queries are idempotent), and the coordinator does the same for each shard.
      assertEquals(List.of(), failed, "failed queries");
      assertTrue(slowest < QUERY_BOUND.toNanos(), "slowest query " + slowest / 1_000_000 + " ms");
    }
  }

  /**
   * The single collection's queries fail within {@link #QUERY_BOUND}, naming the collection and
   * giving one of the reasons {@code why}.
   */
  private static void assertFailsFast(SolrProductSearcher single, String when, String... why) {
    for (Callable<Object> query :
        List.<Callable<Object>>of(
            () -> single.facets(SearchFilters.NONE),
            () -> single.byText("shirt", SearchFilters.NONE, SearchOptions.top(10)))) {
      long start = System.nanoTime();
      try {
        query.call();
        fail(
            "a query on " + single.collection() + " with a shard on no live node answered " + when);
      } catch (IllegalStateException | java.io.UncheckedIOException e) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
            "failover: the single-replica query %s failed in %d ms: %s%n",
            when, ms, e.getMessage());
        assertTrue(e.getMessage().contains(single.collection()), e.getMessage());
        assertTrue(
            java.util.Arrays.stream(why).anyMatch(e.getMessage()::contains),
            when + ": " + e.getMessage());
        assertTrue(ms < QUERY_BOUND.toMillis(), when + ": failed only after " + ms + " ms");
      } catch (Exception e) {
        fail("a query on a shard without a live replica failed " + when + " with " + e, e);
      }
    }
  }

  /**
   * Exact k-NN (the replicas' HNSW graphs may differ; exact scores do not), text, facets, by id.
   */
  private Map<String, Callable<Object>> queries(SolrProductSearcher searcher) {
    Map<String, Callable<Object>> queries = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>(catalog.products().keySet());
    for (int i = 0; i < 4; i++) {
      String id = ids.get(i * ids.size() / 4);
      queries.put(
          "similar " + id,
          () -> searcher.similarToItem(id, SearchFilters.NONE, SearchOptions.top(10).exactly()));
      queries.put("item " + id, () -> searcher.item(id));
    }
    queries.put("text", () -> searcher.byText("shirt", SearchFilters.NONE, SearchOptions.top(10)));
    queries.put("facets", () -> searcher.facets(SearchFilters.NONE));
    queries.put(
        "filtered",
        () ->
            searcher.similarToVector(
                catalog.vectors().get(ids.get(0)),
                SearchFilters.expression("gender:Men"),
                SearchOptions.top(10).exactly()));
    return queries;
  }

  private SolrProductSearcher open(String alias) throws IOException {
    return SolrProductSearcher.open(
        SolrTarget.zk(first.zkHost(), alias), (m, w) -> new GrayGridEmbedder());
  }

  private void reindex(String alias, int replicas) throws IOException {
    SolrReindexOptions options =
        new SolrReindexOptions(catalog.catalogDir(), catalog.cacheDir(), 2, replicas, 64, false);
    new SolrReindexer(options, client, alias, GrayGridEmbedder::new, ProgressListener.NONE).run();
  }

  private DocCollection collection(String alias) throws IOException {
    String name = new SolrGenerations(client, alias).aliasTarget().orElseThrow();
    return client.getClusterStateProvider().getCollection(name);
  }

  private static Set<String> nodesOf(Slice shard) {
    Set<String> nodes = new TreeSet<>();
    for (Replica replica : shard.getReplicas()) {
      nodes.add(replica.getNodeName());
    }
    return nodes;
  }

  /**
   * Solr's node name of a node URL: {@code http://127.0.0.1:8983/solr} is {@code
   * 127.0.0.1:8983_solr}.
   */
  private static String nodeName(String url) {
    return url.replaceFirst("^https?://", "").replace('/', '_');
  }

  private void awaitLiveNodes(int n, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (client.getClusterStateProvider().getLiveNodes().size() != n) {
      if (System.nanoTime() > deadline) {
        fail(
            "the cluster did not show "
                + n
                + " live nodes within "
                + bound
                + ": "
                + client.getClusterStateProvider().getLiveNodes());
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /**
   * One query's fate: its name, when it started, how long it took, and its error (null: the
   * expected answer).
   */
  private record Outcome(String query, long start, long nanos, String error) {}
}
