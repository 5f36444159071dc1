package com.fashionsearch.solr;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;

/**
 * Where a catalog lives on SolrCloud: how to reach the cluster (ZooKeeper or Solr node URLs) and
 * the collection alias that names the catalog. Immutable and thread-safe.
 *
 * @param zkHost the ZooKeeper ensemble, {@code host:port[,host:port...][/chroot]}, or empty
 * @param solrUrls Solr node base URLs ({@code http://host:8983/solr}), used when there is no zkHost
 * @param alias the collection alias the product searches; generations are {@code <alias>_g<N>}
 */
public record SolrTarget(String zkHost, List<String> solrUrls, String alias) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,80}");

  public SolrTarget {
    zkHost = zkHost == null ? "" : zkHost.strip();
    solrUrls = List.copyOf(solrUrls);
    Objects.requireNonNull(alias, "alias");
    if (zkHost.isEmpty() == solrUrls.isEmpty()) {
      throw new IllegalArgumentException(
          "give either a ZooKeeper address or Solr URLs, got zk '"
              + zkHost
              + "' and urls "
              + solrUrls);
    }
    for (String url : solrUrls) {
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new IllegalArgumentException(
            "Solr URL must start with http:// or https://, got: " + url);
      }
    }
    if (!NAME.matcher(alias).matches()) {
      throw new IllegalArgumentException(
          "collection name must be letters, digits, '.', '_' or '-' (not first), at most 81, got: '"
              + alias
              + "'");
    }
  }

  /** A cluster reached through ZooKeeper ({@code host:port[/chroot]}). */
  public static SolrTarget zk(String zkHost, String alias) {
    return new SolrTarget(zkHost, List.of(), alias);
  }

  /** A cluster reached through the given Solr nodes' URLs (comma-separated allowed). */
  public static SolrTarget urls(String commaSeparatedUrls, String alias) {
    List<String> urls =
        java.util.Arrays.stream(commaSeparatedUrls.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    return new SolrTarget("", urls, alias);
  }

  /**
   * The longest a connection to a node may take to open; a node that takes longer counts as down.
   */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * A new cloud client for this cluster with SolrJ's default timeouts (long enough for a reindex's
   * collection creation and final commit); the caller closes it.
   */
  public CloudSolrClient connect() {
    return builder().build();
  }

  /**
   * A new cloud client whose every request gives up after {@code timeout} (a node that accepts the
   * connection and never answers), and whose connections give up after {@link #CONNECT_TIMEOUT} or
   * {@code timeout}, the shorter (a node that vanished without closing its connections: SolrJ then
   * tries the next replica); the caller closes it.
   *
   * @throws IllegalArgumentException unless {@code timeout} is between 1 second and 10 minutes
   */
  public CloudSolrClient connect(Duration timeout) {
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0
        || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "Solr timeout must be between 1 s and 600 s, got: " + timeout.toMillis() / 1000.0 + " s");
    }
    long millis = timeout.toMillis();
    Http2SolrClient.Builder http =
        new Http2SolrClient.Builder()
            .withConnectionTimeout(
                Math.min(millis, CONNECT_TIMEOUT.toMillis()), TimeUnit.MILLISECONDS)
            .withIdleTimeout(millis, TimeUnit.MILLISECONDS)
            .withRequestTimeout(millis, TimeUnit.MILLISECONDS);
    return builder().withHttpClientBuilder(http).build();
  }

  private CloudSolrClient.Builder builder() {
    if (!zkHost.isEmpty()) {
      int slash = zkHost.indexOf('/');
      String hosts = slash < 0 ? zkHost : zkHost.substring(0, slash);
      Optional<String> chroot = slash < 0 ? Optional.empty() : Optional.of(zkHost.substring(slash));
      return new CloudSolrClient.Builder(List.of(hosts.split(",")), chroot);
    }
    return new CloudSolrClient.Builder(solrUrls);
  }

  /** For messages: the cluster's address and the alias. */
  public String describe() {
    return (zkHost.isEmpty() ? String.join(",", solrUrls) : "zk " + zkHost)
        + " collection "
        + alias;
  }
}
