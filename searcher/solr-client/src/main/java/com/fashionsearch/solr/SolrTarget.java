package com.fashionsearch.solr;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.solr.client.solrj.impl.CloudSolrClient;

/**
 * Where a catalog lives on SolrCloud: how to reach the cluster (ZooKeeper or Solr node URLs) and the
 * collection alias that names the catalog. Immutable and thread-safe.
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
          "give either a ZooKeeper address or Solr URLs, got zk '" + zkHost + "' and urls " + solrUrls);
    }
    for (String url : solrUrls) {
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new IllegalArgumentException("Solr URL must start with http:// or https://, got: " + url);
      }
    }
    if (!NAME.matcher(alias).matches()) {
      throw new IllegalArgumentException(
          "collection name must be letters, digits, '.', '_' or '-' (not first), at most 81, got: '" + alias + "'");
    }
  }

  /** A cluster reached through ZooKeeper ({@code host:port[/chroot]}). */
  public static SolrTarget zk(String zkHost, String alias) {
    return new SolrTarget(zkHost, List.of(), alias);
  }

  /** A cluster reached through the given Solr nodes' URLs (comma-separated allowed). */
  public static SolrTarget urls(String commaSeparatedUrls, String alias) {
    List<String> urls =
        java.util.Arrays.stream(commaSeparatedUrls.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    return new SolrTarget("", urls, alias);
  }

  /** A new cloud client for this cluster; the caller closes it. */
  public CloudSolrClient connect() {
    if (!zkHost.isEmpty()) {
      int slash = zkHost.indexOf('/');
      String hosts = slash < 0 ? zkHost : zkHost.substring(0, slash);
      Optional<String> chroot = slash < 0 ? Optional.empty() : Optional.of(zkHost.substring(slash));
      return new CloudSolrClient.Builder(List.of(hosts.split(",")), chroot).build();
    }
    return new CloudSolrClient.Builder(solrUrls).build();
  }

  /** For messages: the cluster's address and the alias. */
  public String describe() {
    return (zkHost.isEmpty() ? String.join(",", solrUrls) : "zk " + zkHost) + " collection " + alias;
  }
}
