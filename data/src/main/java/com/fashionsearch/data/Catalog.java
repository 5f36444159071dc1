package com.fashionsearch.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A catalog as read by {@link CatalogReader}: its folder, its usable products and the report of
 * what was met on the way. Immutable and thread-safe.
 *
 * @param root the catalog folder (holding {@code styles.csv} and {@code images/})
 * @param products the products in file order (a duplicated id sits where its last, winning row is),
 *     only those whose image exists
 * @param report the counts and lists of every problem met
 */
public record Catalog(Path root, List<Product> products, CatalogReport report) {
  public Catalog {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(report, "report");
    products = List.copyOf(products);
  }
}
