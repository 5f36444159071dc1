package com.fashionsearch.solr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;

/**
 * The generations of one catalog on SolrCloud: collections {@code <alias>_g<N>}, each with its own
 * configset of the same name, and the alias that names the current one. Switching is one
 * CREATEALIAS call, atomic in ZooKeeper: a query through the alias sees the old or the new
 * collection, never neither.
 *
 * <p>Thread-safe as far as SolrJ is; one reindex at a time should manage a given alias.
 */
public final class SolrGenerations {
  private final SolrClient client;
  private final String alias;
  private final Pattern names;

  /**
   * @param client a cloud client of the cluster
   * @param alias the catalog's alias
   */
  public SolrGenerations(SolrClient client, String alias) {
    this.client = client;
    this.alias = alias;
    this.names =
        Pattern.compile(Pattern.quote(alias + SolrSchema.GENERATION_INFIX) + "(\\d{1,18})");
  }

  /** The alias. */
  public String alias() {
    return alias;
  }

  /** The collection of generation {@code n}. */
  public String collection(long n) {
    return alias + SolrSchema.GENERATION_INFIX + n;
  }

  /** The generation number of a collection name, or -1 when it is not one of this alias's. */
  public long generationOf(String collection) {
    Matcher m = names.matcher(collection);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The collection the alias points to, if the alias exists. */
  public java.util.Optional<String> aliasTarget() throws IOException {
    try {
      Map<String, String> aliases =
          new CollectionAdminRequest.ListAliases().process(client).getAliases();
      String target = aliases.get(alias);
      if (target != null && target.contains(",")) {
        throw new IllegalStateException(
            "alias "
                + alias
                + " points to several collections ("
                + target
                + "): not one managed by fashion reindex");
      }
      return java.util.Optional.ofNullable(target);
    } catch (SolrServerException e) {
      throw new IOException("cannot list the aliases of the cluster: " + e.getMessage(), e);
    }
  }

  /** The generation the alias points to, if any. */
  public OptionalLong current() throws IOException {
    java.util.Optional<String> target = aliasTarget();
    if (target.isEmpty()) {
      return OptionalLong.empty();
    }
    long n = generationOf(target.get());
    if (n < 0) {
      throw new IllegalStateException(
          "alias "
              + alias
              + " points to "
              + target.get()
              + ", not a generation "
              + collection(0).replace("0", "<N>"));
    }
    return OptionalLong.of(n);
  }

  /** The generations that exist as collections, ascending. */
  public List<Long> existing() throws IOException {
    List<Long> found = new ArrayList<>();
    try {
      for (String name : CollectionAdminRequest.listCollections(client)) {
        long n = generationOf(name);
        if (n >= 0) {
          found.add(n);
        }
      }
    } catch (SolrServerException e) {
      throw new IOException("cannot list the collections of the cluster: " + e.getMessage(), e);
    }
    found.sort(null);
    return found;
  }

  /**
   * Uploads the configset and creates generation {@code n}'s collection, waiting until it is
   * active.
   */
  public void create(long n, int shards, int replicas, int dimension) throws IOException {
    String name = collection(n);
    SolrConfigset.upload(client, name, dimension);
    try {
      CollectionAdminRequest.createCollection(name, name, shards, replicas).process(client);
    } catch (SolrServerException | RuntimeException e) {
      throw new IOException("cannot create collection " + name + ": " + e.getMessage(), e);
    }
  }

  /** Points the alias at generation {@code n}. */
  public void switchTo(long n) throws IOException {
    try {
      CollectionAdminRequest.createAlias(alias, collection(n)).process(client);
    } catch (SolrServerException | RuntimeException e) {
      throw new IOException(
          "cannot point alias " + alias + " to " + collection(n) + ": " + e.getMessage(), e);
    }
  }

  /** Deletes generation {@code n}: its collection and its configset. */
  public void delete(long n) throws IOException {
    String name = collection(n);
    try {
      CollectionAdminRequest.deleteCollection(name).process(client);
    } catch (SolrServerException | RuntimeException e) {
      throw new IOException("cannot delete collection " + name + ": " + e.getMessage(), e);
    }
    SolrConfigset.delete(client, name);
  }
}
