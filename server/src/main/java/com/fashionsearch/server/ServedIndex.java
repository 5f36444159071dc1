package com.fashionsearch.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a server serves: the local Lucene index in a folder, or a SolrCloud collection alias.
 * Reported by {@code /health}. Immutable and thread-safe.
 *
 * @param backend {@code lucene} or {@code solr}
 * @param location the index folder, or the cluster's address (ZooKeeper or node URLs)
 * @param folder the index folder (lucene only)
 * @param collection the collection alias (solr only)
 */
public record ServedIndex(
    String backend, String location, Optional<Path> folder, Optional<String> collection) {
  /** The backend name of the local index. */
  public static final String LUCENE = "lucene";

  /** The backend name of SolrCloud. */
  public static final String SOLR = "solr";

  public ServedIndex {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(collection, "collection");
    if (backend.equals(LUCENE)
        ? folder.isEmpty() || collection.isPresent()
        : backend.equals(SOLR) ? folder.isPresent() || collection.isEmpty() : true) {
      throw new IllegalArgumentException(
          "a served index is lucene with a folder or solr with a collection, got: "
              + backend
              + " "
              + folder
              + " "
              + collection);
    }
  }

  /** The local index in {@code folder}. */
  public static ServedIndex lucene(Path folder) {
    return new ServedIndex(
        LUCENE,
        folder.toAbsolutePath().normalize().toString(),
        Optional.of(folder),
        Optional.empty());
  }

  /**
   * A SolrCloud collection alias.
   *
   * @param cluster the cluster's address as given (ZooKeeper or node URLs)
   * @param collection the alias
   */
  public static ServedIndex solr(String cluster, String collection) {
    return new ServedIndex(SOLR, cluster, Optional.empty(), Optional.of(collection));
  }
}
