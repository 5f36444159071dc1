package com.fashionsearch.solrcluster;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Joins one Solr node, in this JVM alone, to a running SolrCloud (a {@link LocalSolrCloud}'s
 * ZooKeeper), on a free port, with the same {@code solr.xml} as the cluster's own nodes; prints its
 * address and runs until its standard input closes. A node of its own process can be killed like a
 * real one (the launcher destroys the process: no shutdown, no goodbye to ZooKeeper).
 *
 * <p>Usage: {@code LocalSolrNode ZK_HOST BASE_DIR}. Prints {@code url=http://127.0.0.1:PORT/solr},
 * then {@code ready}.
 *
 * <p>Not thread-safe; one per JVM.
 */
public final class LocalSolrNode {
  private LocalSolrNode() {}

  /**
   * @param args the cluster's ZooKeeper address and the folder for the node's data
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException(
          "usage: LocalSolrNode ZK_HOST BASE_DIR, got: " + List.of(args));
    }
    Path baseDir = Path.of(args[1]).toAbsolutePath();
    Path home = Files.createDirectories(baseDir.resolve("home"));
    LocalSolrCloud.configure(baseDir);
    Files.writeString(
        home.resolve("solr.xml"),
        MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML,
        StandardCharsets.UTF_8);
    Properties properties = new Properties();
    properties.setProperty("zkHost", args[0]);

    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    JettySolrRunner jetty =
        new JettySolrRunner(
            home.toString(), properties, JettyConfig.builder().setContext("/solr").build());
    jetty.start();
    try {
      out.println("url=" + jetty.getBaseUrl());
      out.println("ready");
      LocalSolrCloud.waitForEndOfInput(System.in);
    } finally {
      jetty.stop();
      out.println("stopped");
    }
  }
}
