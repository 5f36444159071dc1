package com.fashionsearch.solr;

import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.indexer.ReindexSummary;
import com.fashionsearch.searcher.ContractCatalog;
import com.fashionsearch.searcher.GrayGridEmbedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.impl.CloudSolrClient;

/**
 * One 2-node SolrCloud (child JVM, embedded ZooKeeper) for every test class of this module's test
 * run, started on first use (it is the slow part) and stopped when the test JVM exits: fashion-1k
 * reindexed locally ({@link ContractCatalog}) and, from the same embedding cache, into the 2-shard
 * collection alias {@link #ALIAS} through {@link SolrReindexer}. Test classes that reindex make
 * their own aliases, or only move {@link #ALIAS} to generations of the same data. Public (in the
 * test-jar) for the server's HTTP test over SolrCloud. Thread-safe.
 */
public final class SolrTestCloud {
  /** The alias fashion-1k is served under. */
  public static final String ALIAS = "products";

  private static SolrTestCloud shared;

  private final Path dir;
  private final LocalSolrCloudProcess cluster;
  private final CloudSolrClient client;
  private final ContractCatalog catalog;
  private final ReindexSummary first;

  private SolrTestCloud(
      Path dir,
      LocalSolrCloudProcess cluster,
      CloudSolrClient client,
      ContractCatalog catalog,
      ReindexSummary first) {
    this.dir = dir;
    this.cluster = cluster;
    this.client = client;
    this.catalog = catalog;
    this.first = first;
  }

  /**
   * The shared cluster, started and filled on the first call; where the shared catalog is absent
   * the caller fails under {@code CI=true} and is skipped elsewhere ({@link
   * ContractCatalog#sharedCatalog}).
   */
  public static synchronized SolrTestCloud get() throws IOException, InterruptedException {
    ContractCatalog.sharedCatalog();
    if (shared == null) {
      Path dir = Files.createTempDirectory("solr-test-cloud");
      ContractCatalog catalog = ContractCatalog.build(dir.resolve("index"));
      LocalSolrCloudProcess cluster = LocalSolrCloudProcess.start(2, dir.resolve("solr"));
      CloudSolrClient client = SolrTarget.zk(cluster.zkHost(), ALIAS).connect();
      SolrTestCloud cloud;
      try {
        ReindexSummary first =
            reindex(client, catalog, ALIAS, catalog.cacheDir(), new GrayGridEmbedder());
        cloud = new SolrTestCloud(dir, cluster, client, catalog, first);
      } catch (IOException | RuntimeException e) {
        client.close();
        cluster.close();
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(cloud::stop, "solr-test-cloud-stop"));
      shared = cloud;
    }
    return shared;
  }

  /**
   * Reindexes the catalog into {@code alias}, 2 shards, batches of 64, embeddings from {@code
   * cacheDir}.
   */
  public static ReindexSummary reindex(
      CloudSolrClient client,
      ContractCatalog catalog,
      String alias,
      Path cacheDir,
      GrayGridEmbedder embedder)
      throws IOException {
    SolrReindexOptions options =
        new SolrReindexOptions(catalog.catalogDir(), cacheDir, 2, 1, 64, false);
    return new SolrReindexer(options, client, alias, () -> embedder, ProgressListener.NONE).run();
  }

  /** A folder of its own under the cluster's temporary folder. */
  public Path tempDir(String name) throws IOException {
    return Files.createDirectories(dir.resolve(name));
  }

  public String zkHost() {
    return cluster.zkHost();
  }

  public List<String> urls() {
    return cluster.urls();
  }

  public CloudSolrClient client() {
    return client;
  }

  public ContractCatalog catalog() {
    return catalog;
  }

  /** The summary of the reindex that filled {@link #ALIAS}. */
  public ReindexSummary first() {
    return first;
  }

  private void stop() {
    try {
      client.close();
      cluster.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is not worth failing the run for
    }
  }
}
