package com.fashionsearch.solr;

import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.searcher.ContractCatalog;
import com.fashionsearch.searcher.GrayGridEmbedder;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.junit.jupiter.api.Test;

/**
 * Where a Solr k-NN query's time goes, beside the local backend on the same data in the same run:
 * fashion-1k (GrayGridEmbedder, 4096-d) in the shared 2-node, 2-shard test cluster and in the local
 * index. After one long warm-up (both JVMs compile their hot paths), each line measures the same
 * seeded query vectors: the two searchers as the product calls them, then single changes to the
 * Solr request (fields fetched, sort, candidates, single-pass distribution, vector text). Prints
 * one {@code variant=.. p50_ms=.. p90_ms=.. mean_ms=.. solr_qtime_p50_ms=..} line each.
 *
 * <p>A benchmark, not a test: the module's surefire configuration leaves {@code *Benchmark} classes
 * out of the normal run; run it with {@code -Dtest=SolrLatencyBenchmark}
 * (docs/benchmarks-history.md, "Where a Solr query's time goes").
 */
class SolrLatencyBenchmark {
  private static final int QUERIES = 200;
  private static final int WARMUP = Integer.getInteger("fashion.bench.warmup", 600);
  private static final int MEASURED = Integer.getInteger("fashion.bench.measured", 150);
  private static final int VARIANT_WARMUP = 30;

  @Test
  void latencyPerVariant() throws Exception {
    SolrTestCloud cloud = SolrTestCloud.get();
    ContractCatalog catalog = cloud.catalog();
    Random random = new Random(20261127L);
    List<float[]> all = new ArrayList<>(catalog.vectors().values());
    List<float[]> queries = new ArrayList<>();
    for (int i = 0; i < QUERIES; i++) {
      queries.add(all.get(random.nextInt(all.size())));
    }
    SearchFilters footwear = SearchFilters.NONE.and("masterCategory", "Footwear");
    CloudSolrClient client = cloud.client();
    String collection =
        new SolrGenerations(client, SolrTestCloud.ALIAS).aliasTarget().orElseThrow();
    try (LuceneProductSearcher lucene =
            LuceneProductSearcher.open(
                catalog.indexDir(), (m, w) -> new GrayGridEmbedder(), KnnTuning.DEFAULT);
        SolrProductSearcher solr =
            SolrProductSearcher.open(
                SolrTarget.urls(String.join(",", cloud.urls()), SolrTestCloud.ALIAS),
                (m, w) -> new GrayGridEmbedder());
        SolrProductSearcher solrZk =
            SolrProductSearcher.open(
                SolrTarget.zk(cloud.zkHost(), SolrTestCloud.ALIAS),
                (m, w) -> new GrayGridEmbedder())) {
      System.out.printf(Locale.ROOT, "warm-up: %d queries on each backend%n", WARMUP);
      for (int i = 0; i < WARMUP; i++) {
        float[] q = queries.get(i % QUERIES);
        lucene.similarToVector(
            q, i % 2 == 0 ? SearchFilters.NONE : footwear, SearchOptions.top(10));
        solrZk.similarToVector(
            q, i % 2 == 0 ? SearchFilters.NONE : footwear, SearchOptions.top(10));
        solr.similarToVector(q, i % 2 == 0 ? SearchFilters.NONE : footwear, SearchOptions.top(10));
      }
      List<Long> qtimes = new ArrayList<>();
      measure(
          "lucene searcher, no filter",
          queries,
          q -> lucene.similarToVector(q, SearchFilters.NONE, SearchOptions.top(10)),
          qtimes);
      measure(
          "lucene searcher, Footwear",
          queries,
          q -> lucene.similarToVector(q, footwear, SearchOptions.top(10)),
          qtimes);
      measure(
          "solr searcher, no filter",
          queries,
          q -> solr.similarToVector(q, SearchFilters.NONE, SearchOptions.top(10)),
          qtimes);
      measure(
          "solr searcher, Footwear",
          queries,
          q -> solr.similarToVector(q, footwear, SearchOptions.top(10)),
          qtimes);
      measure(
          "solr searcher over ZooKeeper, no filter",
          queries,
          q -> solrZk.similarToVector(q, SearchFilters.NONE, SearchOptions.top(10)),
          qtimes);
      measure(
          "solr searcher over ZooKeeper, Footwear",
          queries,
          q -> solrZk.similarToVector(q, footwear, SearchOptions.top(10)),
          qtimes);

      Map<String, Consumer<ModifiableSolrParams>> variants = new LinkedHashMap<>();
      variants.put(
          "raw: two-pass (fl attributes, sort score+id, rows 26, topK 100)",
          p -> p.remove("distrib.singlePass"));
      variants.put("raw: as the searcher (single pass)", p -> {});
      variants.put(
          "raw: two-pass, fl=id,score (no second pass needed)",
          p -> {
            p.remove("distrib.singlePass");
            p.set("fl", "id,score");
          });
      variants.put("raw: single pass, no sort param", p -> p.remove("sort"));
      variants.put("raw: topK=26", p -> p.set("q", p.get("q").replace("topK=100", "topK=26")));
      variants.put("raw: vector to 4 significant digits", p -> p.set("q", shortVector(p.get("q"))));
      variants.put(
          "raw: rows=10, fl=id,score, singlePass, no sort",
          p -> {
            p.set("rows", 10);
            p.set("fl", "id,score");
            p.set("distrib.singlePass", "true");
            p.remove("sort");
          });
      variants.put(
          "raw: *:* (no knn), rows=10, fl=id",
          p -> {
            p.set("q", "*:*");
            p.set("rows", 10);
            p.set("fl", "id");
            p.remove("sort");
          });
      for (Map.Entry<String, Consumer<ModifiableSolrParams>> v : variants.entrySet()) {
        List<Long> qt = new ArrayList<>();
        measure(
            v.getKey(),
            queries,
            q -> {
              ModifiableSolrParams params = searcherParams(q);
              v.getValue().accept(params);
              try {
                QueryResponse r = client.query(collection, params, SolrRequest.METHOD.POST);
                qt.add((long) r.getQTime());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            qt);
      }
      // one query's server-side breakdown
      ModifiableSolrParams debug = searcherParams(queries.get(0));
      debug.set("debug", "timing");
      debug.set("shards.info", "true");
      QueryResponse r = client.query(collection, debug, SolrRequest.METHOD.POST);
      System.out.println("debug timing: " + r.getDebugMap().get("timing"));
      System.out.println("shards.info: " + r.getResponse().get("shards.info"));
    }
  }

  /** The parameters SolrProductSearcher sends for a k=10 query without filters (single pass). */
  private static ModifiableSolrParams searcherParams(float[] q) {
    ModifiableSolrParams params = new ModifiableSolrParams();
    StringBuilder v = new StringBuilder("[");
    for (int i = 0; i < q.length; i++) {
      v.append(i == 0 ? "" : ",").append(q[i]);
    }
    params.set("q", "{!knn f=" + IndexSchema.VECTOR + " topK=100}" + v.append(']'));
    params.add("fq", SolrSchema.PRODUCTS_ONLY);
    params.set("rows", 26);
    List<String> fields = new ArrayList<>(List.of(IndexSchema.ID, "score", IndexSchema.IMAGE));
    fields.addAll(IndexSchema.ATTRIBUTES);
    params.set("fl", String.join(",", new LinkedHashSet<>(fields)));
    params.set("sort", "score desc," + IndexSchema.ID + " asc");
    params.set("distrib.singlePass", true);
    return params;
  }

  private static String shortVector(String q) {
    int open = q.indexOf('[');
    String[] parts = q.substring(open + 1, q.length() - 1).split(",");
    StringBuilder s = new StringBuilder(q.substring(0, open)).append('[');
    for (int i = 0; i < parts.length; i++) {
      s.append(i == 0 ? "" : ",")
          .append(String.format(Locale.ROOT, "%.4g", Float.parseFloat(parts[i])));
    }
    return s.append(']').toString();
  }

  private static void measure(
      String name, List<float[]> queries, Consumer<float[]> query, List<Long> qtimes) {
    for (int i = 0; i < VARIANT_WARMUP; i++) {
      query.accept(queries.get(i % queries.size()));
    }
    qtimes.clear();
    long[] nanos = new long[MEASURED];
    long start = System.nanoTime();
    for (int i = 0; i < MEASURED; i++) {
      long t0 = System.nanoTime();
      query.accept(queries.get((i + VARIANT_WARMUP) % queries.size()));
      nanos[i] = System.nanoTime() - t0;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    String qtime = "-";
    if (!qtimes.isEmpty()) {
      List<Long> measured = new ArrayList<>(qtimes);
      measured.sort(null);
      qtime = Long.toString(measured.get(measured.size() / 2));
    }
    System.out.printf(
        Locale.ROOT,
        "variant=\"%s\" p50_ms=%.1f p90_ms=%.1f mean_ms=%.1f qps=%.1f solr_qtime_p50_ms=%s%n",
        name,
        sorted[MEASURED / 2] / 1e6,
        sorted[MEASURED * 9 / 10] / 1e6,
        Arrays.stream(nanos).average().orElse(0) / 1e6,
        MEASURED / seconds,
        qtime);
  }
}
