package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexSchema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Restrictions on the products a query may return; all of them must hold. Immutable and
 * thread-safe.
 *
 * @param attributes exact values by attribute name ({@code gender}, {@code masterCategory}, ...,
 *     {@code usage}; the year goes through the range)
 * @param yearFrom the lowest year, inclusive, if any
 * @param yearTo the highest year, inclusive, if any
 * @param expression a filter in Lucene query syntax over the index's fields ({@code
 *     masterCategory:Footwear AND year:[2010 TO 2012]}), or empty
 */
public record SearchFilters(
    Map<String, String> attributes, Optional<Integer> yearFrom, Optional<Integer> yearTo, String expression) {

  /**
   * The attributes with few distinct values, filtered by exact value and counted as facets: every
   * keyword attribute but the product name ({@code gender}, {@code masterCategory}, {@code
   * subCategory}, {@code articleType}, {@code baseColour}, {@code season}, {@code usage}).
   */
  public static final java.util.List<String> FACET_ATTRIBUTES =
      IndexSchema.KEYWORD_ATTRIBUTES.stream()
          .filter(a -> !a.equals(com.fashionsearch.data.CatalogColumns.DISPLAY_NAME))
          .toList();

  /** No restriction. */
  public static final SearchFilters NONE = new SearchFilters(Map.of(), Optional.empty(), Optional.empty(), "");

  public SearchFilters {
    Objects.requireNonNull(yearFrom, "yearFrom");
    Objects.requireNonNull(yearTo, "yearTo");
    expression = expression == null ? "" : expression.strip();
    Map<String, String> copy = new LinkedHashMap<>();
    attributes.forEach(
        (name, value) -> {
          if (!IndexSchema.KEYWORD_ATTRIBUTES.contains(name)) {
            throw new IllegalArgumentException(
                "unknown filter attribute: '"
                    + name
                    + "' (known: "
                    + String.join(", ", IndexSchema.KEYWORD_ATTRIBUTES)
                    + ")");
          }
          copy.put(name, Objects.requireNonNull(value, name));
        });
    attributes = Collections.unmodifiableMap(copy);
    if (yearFrom.isPresent() && yearTo.isPresent() && yearFrom.get() > yearTo.get()) {
      throw new IllegalArgumentException(
          "year range is empty: from " + yearFrom.get() + " to " + yearTo.get());
    }
  }

  /** A filter in Lucene query syntax only. */
  public static SearchFilters expression(String expression) {
    return new SearchFilters(Map.of(), Optional.empty(), Optional.empty(), expression);
  }

  /** These filters and {@code attribute = value}. */
  public SearchFilters and(String attribute, String value) {
    Map<String, String> more = new LinkedHashMap<>(attributes);
    more.put(attribute, value);
    return new SearchFilters(more, yearFrom, yearTo, expression);
  }

  /** These filters and a year range (either end may be empty). */
  public SearchFilters years(Optional<Integer> from, Optional<Integer> to) {
    return new SearchFilters(attributes, from, to, expression);
  }

  /** True when nothing is restricted. */
  public boolean isEmpty() {
    return attributes.isEmpty() && yearFrom.isEmpty() && yearTo.isEmpty() && expression.isEmpty();
  }
}
