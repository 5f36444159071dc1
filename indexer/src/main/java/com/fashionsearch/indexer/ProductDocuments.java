package com.fashionsearch.indexer;

import com.fashionsearch.data.Product;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;

/**
 * Turns a product and its embedding into a Lucene document of {@link IndexSchema}. Stateless,
 * thread-safe.
 */
public final class ProductDocuments {
  private ProductDocuments() {}

  /**
   * @param product the catalog row
   * @param embedding its image's unit-length embedding
   * @throws IllegalArgumentException when the embedding is not unit length (the dot-product
   *     similarity requires it)
   */
  public static Document toDocument(Product product, float[] embedding) {
    requireUnitLength(product.id(), embedding);
    Document doc = new Document();
    doc.add(new KeywordField(IndexSchema.ID, product.id(), Field.Store.YES));
    for (String column : IndexSchema.KEYWORD_ATTRIBUTES) {
      String value = product.attribute(column);
      if (!value.isEmpty()) {
        doc.add(new KeywordField(column, value, Field.Store.YES));
      }
    }
    String year = product.attribute(IndexSchema.YEAR);
    if (!year.isEmpty()) {
      doc.add(new IntField(IndexSchema.YEAR, Integer.parseInt(year), Field.Store.YES));
    }
    String name = product.attribute("productDisplayName");
    if (!name.isEmpty()) {
      doc.add(new TextField(IndexSchema.TEXT, name, Field.Store.NO));
    }
    doc.add(new StoredField(IndexSchema.IMAGE, product.image().getFileName().toString()));
    doc.add(new KnnFloatVectorField(IndexSchema.VECTOR, embedding, IndexSchema.SIMILARITY));
    return doc;
  }

  /**
   * Checks that a product's embedding has unit length, as the dot-product similarity of every
   * backend requires.
   *
   * @throws IllegalArgumentException naming the product and the squared norm found
   */
  public static void requireUnitLength(String id, float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (Math.abs(sum - 1.0) > 1e-3) {
      throw new IllegalArgumentException(
          "embedding of product " + id + " must have unit length, got squared norm: " + sum);
    }
  }
}
