package com.fashionsearch.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One product of a catalog: its id, its attributes by their {@code styles.csv} column names, and
 * the path of its image.
 *
 * <p>{@code attributes} holds every column of {@link CatalogColumns#ATTRIBUTES}, in that order; an
 * empty field is the empty string, never null. {@code year} is normalised to digits only ({@code
 * 2012.0} becomes {@code 2012}). Immutable and thread-safe.
 *
 * @param id the product id, the {@code id} column
 * @param attributes every attribute column by name, in {@code styles.csv} order
 * @param image the product image, {@code images/<id>.jpg} under the catalog folder
 */
public record Product(String id, Map<String, String> attributes, Path image) {
  public Product {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
    attributes = Map.copyOf(attributes);
    for (String column : CatalogColumns.ATTRIBUTES) {
      if (!attributes.containsKey(column)) {
        throw new IllegalArgumentException("product " + id + " lacks attribute: " + column);
      }
    }
  }

  /** The attribute's value, the empty string when the field was empty. */
  public String attribute(String column) {
    String value = attributes.get(column);
    if (value == null) {
      throw new IllegalArgumentException("unknown attribute: " + column);
    }
    return value;
  }
}
