package com.fashionsearch.searcher;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Searches a product catalog's index: k-NN by product, image or vector, text, hybrid image + text,
 * all under the same filters; facet counts over a filtered set; the catalog itself, page by page
 * ({@link #browse}).
 *
 * <p>Every result list of a query is ordered by descending score, equal scores by ascending id, and
 * then cut to {@link SearchOptions#offset()} and {@link SearchOptions#k()}.
 *
 * <p>Implementations are thread-safe: one instance serves every request. A query that is running
 * when the index moves to a new generation completes on the generation it started on.
 */
public interface ProductSearcher extends Closeable {

  /**
   * The order of {@link #browse}: by these attributes, ascending as strings (a product without the
   * attribute after those with it), then by product id ascending as a string.
   */
  List<String> BROWSE_ORDER = List.of("masterCategory", "subCategory", "articleType", "baseColour");

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
  SearchResults hybrid(
      BufferedImage image, String text, SearchFilters filters, SearchOptions options);

  /**
   * How many products of the filtered set carry each value of each attribute.
   *
   * @throws IllegalArgumentException for a bad filter
   */
  FacetCounts facets(SearchFilters filters);

  /**
   * The products {@code filters} match, in the {@link #BROWSE_ORDER} (a stable order, so that pages
   * of one listing neither repeat nor skip a product while the generation stays the same), every
   * score 0. {@link #facets} gives how many there are.
   *
   * @throws IllegalArgumentException for a bad filter
   */
  SearchResults browse(SearchFilters filters, SearchOptions options);

  /**
   * Facet counts for menus that take several values: each attribute's values are counted under
   * every filter but that attribute's own, so a menu keeps offering its other values after one is
   * chosen. {@link FacetCounts#matching()} is the count under all the filters.
   *
   * @throws IllegalArgumentException for a bad filter
   */
  default FacetCounts disjunctiveFacets(SearchFilters filters) {
    FacetCounts all = facets(filters);
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>(all.counts());
    for (String attribute : filters.attributes().keySet()) {
      if (SearchFilters.FACET_ATTRIBUTES.contains(attribute)) {
        counts.put(
            attribute,
            facets(filters.without(attribute)).counts().getOrDefault(attribute, Map.of()));
      }
    }
    return new FacetCounts(all.matching(), counts);
  }

  /**
   * Moves to the index's current generation if it changed since the last call; queries running on
   * the previous generation finish on it.
   *
   * @return true when it moved
   * @throws IOException when the new generation cannot be opened (the previous one stays in use)
   */
  boolean refresh() throws IOException;
}
