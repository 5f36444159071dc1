package com.fashionsearch.indexer;

import com.fashionsearch.data.CatalogColumns;
import java.util.List;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedSetSortField;

/**
 * The index's field names, vector similarity and schema version: the one place that says what a
 * product document holds.
 *
 * <ul>
 *   <li>{@code id}: the product id, exact match, stored, with doc values (sorting, tie-breaks).
 *   <li>every {@code styles.csv} attribute under its own column name ({@code gender}, {@code
 *       masterCategory}, ...): exact match, stored, with sorted-set doc values for facet counts. An
 *       empty field is left out of the document.
 *   <li>{@code year}: additionally an int point with doc values, for ranges; its string form is not
 *       indexed as a term, so {@code year:2012} is a point query.
 *   <li>{@code text}: {@code productDisplayName} analysed with the standard analyzer, for text
 *       search.
 *   <li>{@code image}: the image's file name under the catalog's {@code images/} folder, stored.
 *   <li>{@code embedding}: the image embedding as a {@code KnnFloatVectorField}.
 * </ul>
 *
 * <p>A generation's documents are sorted by {@link #SORT_ATTRIBUTES} ({@link #indexSort()}), so
 * that the documents an attribute filter matches lie in few, long runs of doc ids.
 *
 * <p>Constants only; thread-safe.
 */
public final class IndexSchema {
  /**
   * Version of this layout. Bump it when a field changes meaning; an index with another version is
   * refused on open.
   */
  public static final int VERSION = 1;

  /** Exact-match product id. */
  public static final String ID = CatalogColumns.ID;

  /** The attribute fields, named as in {@code styles.csv}. */
  public static final List<String> ATTRIBUTES = CatalogColumns.ATTRIBUTES;

  /**
   * The attributes that are exact-match keyword fields with facet doc values (all but the year).
   */
  public static final List<String> KEYWORD_ATTRIBUTES =
      ATTRIBUTES.stream().filter(a -> !a.equals(CatalogColumns.YEAR)).toList();

  /** The year, an int point plus doc values. */
  public static final String YEAR = CatalogColumns.YEAR;

  /** productDisplayName, analysed for text search. */
  public static final String TEXT = "text";

  /** The image file name, relative to the catalog's images folder. */
  public static final String IMAGE = "image";

  /** The image embedding. */
  public static final String VECTOR = "embedding";

  /**
   * Dot product: every vector is L2-normalised by the embedder, so the dot product equals the
   * cosine and is the cheapest of Lucene's functions (no norms to compute per comparison). Lucene
   * scores it as {@code (1 + cos) / 2}, in [0, 1].
   */
  public static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

  /**
   * The attributes a generation's documents are sorted by, in order: gender, the category
   * hierarchy, then colour, usage and season. A filter on gender or on a category then matches one
   * or a few long runs of consecutive documents, and the quantized scan reads their vectors almost
   * sequentially instead of one scattered 526-byte code at a time: about twice as fast on the
   * synthetic catalog (docs/benchmarks-history.md, "Documents sorted by gender and category").
   * Gender comes first because it has five values: a category filter still matches at most five
   * runs.
   */
  public static final List<String> SORT_ATTRIBUTES =
      List.of(
          "gender",
          "masterCategory",
          "subCategory",
          "articleType",
          "baseColour",
          "usage",
          "season");

  /**
   * The index sort of every generation this project writes, by {@link #SORT_ATTRIBUTES}' sorted-set
   * doc values; a product without the attribute sorts first.
   */
  public static Sort indexSort() {
    return new Sort(
        SORT_ATTRIBUTES.stream()
            .map(a -> (SortField) new SortedSetSortField(a, false))
            .toArray(SortField[]::new));
  }

  private IndexSchema() {}
}
