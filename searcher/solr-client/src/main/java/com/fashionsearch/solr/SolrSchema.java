package com.fashionsearch.solr;

/**
 * The Solr-side names beyond {@link com.fashionsearch.indexer.IndexSchema}'s (which the configset
 * uses for every product field): the document kind and the metadata document. Constants only;
 * thread-safe.
 */
public final class SolrSchema {
  /** {@code product} or {@code metadata}: every query is restricted to products. */
  public static final String KIND = "kind";

  /** The kind of a product document. */
  public static final String PRODUCT = "product";

  /** The kind of the one document that records what a generation was built from. */
  public static final String METADATA_KIND = "metadata";

  /** The metadata document's id. */
  public static final String METADATA_ID = "_index_metadata";

  /** The metadata document's stored field: {@code key=value} lines of the index metadata. */
  public static final String METADATA = "metadata";

  /**
   * The embedding as one stored little-endian float32 blob (the vector field itself is not stored:
   * Solr would store 4096 separate values and every document fetch would pay for them).
   */
  public static final String VECTOR_BYTES = "embedding_bytes";

  /** The filter query that keeps products only. */
  public static final String PRODUCTS_ONLY = KIND + ":" + PRODUCT;

  /** The suffix of generation collections: {@code <alias>_g<N>}. */
  public static final String GENERATION_INFIX = "_g";

  private SolrSchema() {}
}
