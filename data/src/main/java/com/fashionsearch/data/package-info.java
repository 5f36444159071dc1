/**
 * The catalog: {@link com.fashionsearch.data.CatalogReader} reads a folder in the Fashion Product
 * Images layout ({@code styles.csv} and {@code images/<id>.jpg}), tolerating the real file's quirks
 * and counting each in a {@link com.fashionsearch.data.CatalogReport}; {@link
 * com.fashionsearch.data.SyntheticCatalog} writes a generated catalog for the demo and the tests.
 */
package com.fashionsearch.data;
