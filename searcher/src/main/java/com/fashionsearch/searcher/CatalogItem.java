package com.fashionsearch.searcher;

import java.util.Map;
import java.util.Objects;

/**
 * A product as the index stores it. Immutable and thread-safe.
 *
 * @param id the product id
 * @param attributes every attribute by its {@code styles.csv} name, in that file's order; a field
 *     the catalog left empty is the empty string
 * @param image the image's file name under the catalog's {@code images/} folder
 */
public record CatalogItem(String id, Map<String, String> attributes, String image) {
  public CatalogItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
    attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
  }
}
