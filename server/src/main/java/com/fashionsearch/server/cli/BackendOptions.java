package com.fashionsearch.server.cli;

import com.fashionsearch.solr.SolrTarget;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options that choose where the index lives: the local Lucene index folder (default) or a
 * SolrCloud collection. A picocli mixin shared by reindex, search and serve. Not thread-safe
 * (filled by picocli once).
 */
final class BackendOptions {
  @Option(
      names = "--backend",
      defaultValue = "lucene",
      paramLabel = "lucene|solr",
      description =
          "Where the index lives: lucene (the local --index folder) or solr (a SolrCloud"
              + " collection) (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(
      names = "--solr-zk",
      paramLabel = "HOST:PORT[,HOST:PORT][/CHROOT]",
      description = "SolrCloud's ZooKeeper address (with --backend solr).")
  String solrZk;

  @Option(
      names = "--solr-url",
      paramLabel = "URL[,URL]",
      description =
          "Solr node URLs, e.g. http://localhost:8983/solr (with --backend solr, instead of"
              + " --solr-zk).")
  String solrUrl;

  @Option(
      names = "--collection",
      defaultValue = "fashion",
      paramLabel = "NAME",
      description =
          "SolrCloud collection alias; generations are NAME_g<N> (default: ${DEFAULT-VALUE}).")
  String collection;

  @Option(
      names = "--solr-timeout",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description =
          "How long one request to SolrCloud may take before the query fails with an error;"
              + " connecting to a node gives up after 5 s at most and moves to another replica"
              + " (with --backend solr) (default: ${DEFAULT-VALUE}).")
  int solrTimeout;

  /**
   * @return true for the Solr backend
   * @throws IllegalArgumentException for an unknown backend
   */
  boolean solr() {
    return switch (backend.toLowerCase(Locale.ROOT)) {
      case "lucene" -> false;
      case "solr" -> true;
      default ->
          throw new IllegalArgumentException("--backend must be lucene or solr, got: " + backend);
    };
  }

  /**
   * The SolrCloud target.
   *
   * @throws IllegalArgumentException unless exactly one of --solr-zk and --solr-url is given
   */
  SolrTarget solrTarget() {
    boolean zk = solrZk != null && !solrZk.isBlank();
    boolean urls = solrUrl != null && !solrUrl.isBlank();
    if (zk == urls) {
      throw new IllegalArgumentException(
          "--backend solr needs exactly one of --solr-zk and --solr-url, got: "
              + (zk ? "both" : "neither"));
    }
    return zk ? SolrTarget.zk(solrZk, collection) : SolrTarget.urls(solrUrl, collection);
  }
}
