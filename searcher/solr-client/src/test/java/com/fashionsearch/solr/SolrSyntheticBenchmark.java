package com.fashionsearch.solr;

import com.fashionsearch.bench.FilteredKnnBenchmark;
import com.fashionsearch.bench.FilteredKnnBenchmark.NamedFilter;
import com.fashionsearch.bench.FilteredKnnBenchmark.Strategy;
import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.searcher.KnnTuning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.common.SolrInputDocument;
import org.junit.jupiter.api.Test;

/**
 * {@code fashion bench query}'s synthetic catalog (N clustered 4096-d vectors with the dataset's
 * attribute mix, seed 42) on SolrCloud beside the local index: the local lines as {@code fashion
 * bench query} prints them (strategy k100), then the same filters, queries and exact truth through
 * {@link SolrProductSearcher} over a 2-shard collection on the shared 2-node test cluster
 * (documents written with the reindex's own {@link SolrProductDocuments}). N from {@code
 * -Dfashion.bench.n} (default 44000); the local index is kept in {@code -Dfashion.bench.dir}
 * (default the temp dir's {@code fashion-bench-query}, shared with {@code fashion bench query}).
 * The collection is kept while the cluster runs; {@code -Dfashion.bench.solr.merge=true} merges
 * each shard to one segment first.
 *
 * <p>A benchmark, not a test: left out of the normal run; {@code -Dtest=SolrSyntheticBenchmark}.
 */
class SolrSyntheticBenchmark {
  @Test
  void syntheticCatalogOnBothBackends() throws Exception {
    int n = Integer.getInteger("fashion.bench.n", 44000);
    int queries = Integer.getInteger("fashion.bench.queries", 100);
    Path dir =
        Path.of(
            System.getProperty(
                "fashion.bench.dir",
                Path.of(System.getProperty("java.io.tmpdir"), "fashion-bench-query").toString()));
    FilteredKnnBenchmark bench =
        new FilteredKnnBenchmark(n, 4096, queries, 50, 42, System.out, System.err);
    List<NamedFilter> filters = FilteredKnnBenchmark.defaultFilters();
    Strategy k100 = new Strategy("lucene-k100", KnnTuning.DEFAULT);
    bench.run(dir, filters, List.of(k100));

    FilteredKnnBenchmark.Data data = bench.generate();
    float[][] exact = bench.exactScores(data);
    SolrTestCloud cloud = SolrTestCloud.get();
    CloudSolrClient client = cloud.client();
    String alias = "synthetic" + n;
    SolrGenerations generations = new SolrGenerations(client, alias);
    if (generations.current().isEmpty()) {
      long start = System.nanoTime();
      generations.create(1, 2, 1, 4096);
      String collection = generations.collection(1);
      List<SolrInputDocument> batch = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Product p =
            new Product(
                Integer.toString(i), data.attributes().get(i), Path.of("images", i + ".jpg"));
        batch.add(SolrProductDocuments.toDocument(p, data.base()[i]));
        if (batch.size() == 256 || i == n - 1) {
          client.add(collection, batch);
          batch.clear();
        }
        if ((i + 1) % 5000 == 0) {
          System.err.printf(
              Locale.ROOT,
              "  %d/%d sent to Solr, %.0f s%n",
              i + 1,
              n,
              (System.nanoTime() - start) / 1e9);
        }
      }
      IndexMetadata metadata =
          new IndexMetadata(
              IndexSchema.VERSION,
              "synthetic",
              "synthetic:42",
              false,
              4096,
              IndexSchema.SIMILARITY.name(),
              "solr hnsw m=16 beam=100 shards=2",
              "synthetic",
              1,
              n,
              Map.of());
      client.add(collection, SolrProductDocuments.metadataDocument(metadata));
      client.commit(collection, true, true);
      generations.switchTo(1);
      System.out.printf(
          Locale.ROOT,
          "solr: indexed %d products into %s in %.0f s%n",
          n,
          collection,
          (System.nanoTime() - start) / 1e9);
    }
    String segments = "as indexed";
    if (Boolean.getBoolean("fashion.bench.solr.merge")) {
      // one segment per shard, as the local index after --force-merge: one graph to walk per shard
      long start = System.nanoTime();
      client.optimize(generations.collection(1), true, true, 1);
      segments = "merged to 1 segment per shard";
      System.out.printf(
          Locale.ROOT,
          "solr: merged each shard to one segment in %.0f s%n",
          (System.nanoTime() - start) / 1e9);
    }
    System.out.println("solr collection " + generations.collection(1) + ": " + segments);
    try (SolrProductSearcher solr =
        SolrProductSearcher.open(
            client,
            alias,
            (m, w) -> {
              throw new IllegalStateException("the benchmark queries by vector");
            })) {
      Strategy solrK100 = new Strategy("solr-2shards-topK100", KnnTuning.DEFAULT);
      for (NamedFilter filter : filters) {
        bench.measure(solr, solrK100, filter, data, exact);
      }
    }
  }
}
