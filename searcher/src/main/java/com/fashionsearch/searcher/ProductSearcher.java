package com.fashionsearch.searcher;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * Searches a product catalog's index: k-NN by product, image or vector, text, hybrid image + text,
 * all under the same filters; facet counts over a filtered set.
 *
 * <p>Every result list is ordered by descending score, equal scores by ascending id, and then cut to
 * {@link SearchOptions#offset()} and {@link SearchOptions#k()}.
 *
 * <p>Implementations are thread-safe: one instance serves every request. A query that is running when
 * the index moves to a new generation completes on the generation it started on.
 */
public interface ProductSearcher extends Closeable {

  /** What the index currently searched was built from. */
  IndexInfo info();

  /** The product with this id, if the index holds it. */
  Optional<CatalogItem> item(String id);

  /**
   * The products most similar to product {@code id}, the product itself excluded.
   *
   * @throws UnknownProductException when the index holds no product {@code id}
   * @throws IllegalArgumentException for a filter naming an unknown field or of broken syntax
   */
  SearchResults similarToItem(String id, SearchFilters filters, SearchOptions options);

  /**
   * The products most similar to an image, encoded with the index's own model.
   *
   * @throws IllegalArgumentException for a bad filter
   */
  SearchResults similarToImage(BufferedImage image, SearchFilters filters, SearchOptions options);

  /**
   * The products nearest to a query vector of the index's own space (after any learned projection).
   *
   * @param vector a unit-length vector of the index's dimension
   * @throws IllegalArgumentException for a vector of the wrong dimension, or a bad filter
   */
  SearchResults similarToVector(float[] vector, SearchFilters filters, SearchOptions options);

  /**
   * The products nearest to an embedding made by the index's model, as an uploaded image's is: it
   * goes through the generation's learned projection, if it has one, then is searched as {@link
   * #similarToVector}. This is {@link #similarToImage} after the network.
   *
   * @param embedding a unit-length vector of the index model's dimension
   * @throws IllegalArgumentException for an embedding of the wrong dimension, or a bad filter
   */
  SearchResults similarToEmbedding(float[] embedding, SearchFilters filters, SearchOptions options);

  /**
   * The products whose name best matches {@code text} (BM25 over {@code productDisplayName}).
   *
   * @throws IllegalArgumentException for blank text, or a bad filter
   */
  SearchResults byText(String text, SearchFilters filters, SearchOptions options);

  /**
   * Image and text together: both rankings fused by reciprocal rank ({@code sum 1/(60 + rank)}).
   *
   * @throws IllegalArgumentException for blank text, or a bad filter
   */
  SearchResults hybrid(BufferedImage image, String text, SearchFilters filters, SearchOptions options);

  /**
   * How many products of the filtered set carry each value of each attribute.
   *
   * @throws IllegalArgumentException for a bad filter
   */
  FacetCounts facets(SearchFilters filters);

  /**
   * Moves to the index's current generation if it changed since the last call; queries running on
   * the previous generation finish on it.
   *
   * @return true when it moved
   * @throws IOException when the new generation cannot be opened (the previous one stays in use)
   */
  boolean refresh() throws IOException;
}
