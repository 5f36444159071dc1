package com.fashionsearch.solrcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Starts a SolrCloud of N nodes and an embedded ZooKeeper on free ports with Solr's own test
 * framework ({@link MiniSolrCloudCluster}), prints its addresses and runs until its standard input
 * closes (so that it dies with the process that launched it), then shuts down.
 *
 * <p>Usage: {@code LocalSolrCloud NODES BASE_DIR}. Prints, one line each: {@code zk=HOST:PORT},
 * {@code url=http://127.0.0.1:PORT/solr} per node, then {@code ready}.
 *
 * <p>{@link LocalSolrNode} adds a node of its own JVM to such a cluster.
 *
 * <p>Not thread-safe; one per JVM.
 */
public final class LocalSolrCloud {
  private LocalSolrCloud() {}

  /**
   * @param args the number of nodes (1 to 8) and the folder for ZooKeeper and the nodes' data
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException(
          "usage: LocalSolrCloud NODES BASE_DIR, got: " + List.of(args));
    }
    int nodes = Integer.parseInt(args[0]);
    if (nodes < 1 || nodes > 8) {
      throw new IllegalArgumentException("NODES must be between 1 and 8, got: " + nodes);
    }
    Path baseDir = Path.of(args[1]).toAbsolutePath();
    Files.createDirectories(baseDir);
    configure(baseDir);

    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster(nodes, baseDir, JettyConfig.builder().setContext("/solr").build());
    try {
      out.println("zk=" + cluster.getZkServer().getZkAddress());
      List<String> urls = new ArrayList<>();
      for (JettySolrRunner jetty : cluster.getJettySolrRunners()) {
        urls.add(jetty.getBaseUrl().toString());
        out.println("url=" + jetty.getBaseUrl());
      }
      out.println("ready");
      waitForEndOfInput(System.in);
    } finally {
      cluster.shutdown();
      out.println("stopped");
    }
  }

  /** The system properties Solr's test base classes would set; allow paths under the base dir. */
  static void configure(Path baseDir) {
    setIfAbsent("solr.security.allow.paths", baseDir.toString());
    setIfAbsent("solr.allowPaths", baseDir.toString());
    setIfAbsent("solr.disable.allowUrls", "true");
    setIfAbsent("solr.log.dir", baseDir.resolve("logs").toString());
    setIfAbsent("zookeeper.admin.enableServer", "false");
    setIfAbsent("solr.default.confdir", baseDir.resolve("no-default-configset").toString());
    setIfAbsent("jetty.testMode", "true");
    setIfAbsent("solr.autoCommit.maxTime", "60000");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Returns when {@code in} ends: the launcher closed it, or died. */
  static void waitForEndOfInput(InputStream in) throws IOException {
    byte[] buf = new byte[256];
    while (in.read(buf) >= 0) {
      // keep reading: the launcher closes our stdin (or dies) to stop us
    }
  }
}
