package com.fashionsearch.data;

import java.util.List;

/**
 * The columns of a catalog's {@code styles.csv}, by the names the Fashion Product Images dataset
 * uses.
 */
public final class CatalogColumns {
  /** The product id column. */
  public static final String ID = "id";

  /** Every attribute column after the id, in the file's order. */
  public static final List<String> ATTRIBUTES =
      List.of(
          "gender",
          "masterCategory",
          "subCategory",
          "articleType",
          "baseColour",
          "season",
          "year",
          "usage",
          "productDisplayName");

  /** The year column: a number, written {@code 2012} or {@code 2012.0} in the wild. */
  public static final String YEAR = "year";

  /** The free-text name column, the last one; real files carry unquoted commas in it. */
  public static final String DISPLAY_NAME = "productDisplayName";

  private CatalogColumns() {}
}
