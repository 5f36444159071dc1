package com.fashionsearch.solr;

import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.ProductDocuments;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.common.SolrInputDocument;

/**
 * Turns a product and its embedding into a Solr document of the project's configset, with the same
 * fields as the local index's {@code ProductDocuments}; and the generation's metadata into its one
 * metadata document. Stateless, thread-safe.
 */
public final class SolrProductDocuments {
  private SolrProductDocuments() {}

  /**
   * @throws IllegalArgumentException when the embedding is not unit length (dot product needs it)
   */
  public static SolrInputDocument toDocument(Product product, float[] embedding) {
    ProductDocuments.requireUnitLength(product.id(), embedding);
    SolrInputDocument doc = new SolrInputDocument();
    doc.addField(IndexSchema.ID, product.id());
    doc.addField(SolrSchema.KIND, SolrSchema.PRODUCT);
    for (String column : IndexSchema.KEYWORD_ATTRIBUTES) {
      String value = product.attribute(column);
      if (!value.isEmpty()) {
        doc.addField(column, value);
      }
    }
    String year = product.attribute(IndexSchema.YEAR);
    if (!year.isEmpty()) {
      doc.addField(IndexSchema.YEAR, Integer.parseInt(year));
    }
    String name = product.attribute("productDisplayName");
    if (!name.isEmpty()) {
      doc.addField(IndexSchema.TEXT, name);
    }
    doc.addField(IndexSchema.IMAGE, product.image().getFileName().toString());
    List<Float> vector = new ArrayList<>(embedding.length);
    for (float x : embedding) {
      vector.add(x);
    }
    doc.setField(IndexSchema.VECTOR, vector);
    doc.setField(SolrSchema.VECTOR_BYTES, toBytes(embedding));
    return doc;
  }

  /** A vector as little-endian float32 bytes. */
  static byte[] toBytes(float[] vector) {
    ByteBuffer buf = ByteBuffer.allocate(4 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(vector);
    return buf.array();
  }

  /**
   * The vector of little-endian float32 bytes.
   *
   * @throws IllegalStateException when the length is not {@code 4 * dimension}
   */
  static float[] fromBytes(byte[] bytes, int dimension) {
    if (bytes.length != 4 * dimension) {
      throw new IllegalStateException(
          "stored vector has "
              + bytes.length
              + " bytes, expected "
              + 4 * dimension
              + " for dimension "
              + dimension);
    }
    float[] v = new float[dimension];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  /** The metadata document of a generation. */
  public static SolrInputDocument metadataDocument(IndexMetadata metadata) {
    SolrInputDocument doc = new SolrInputDocument();
    doc.addField(IndexSchema.ID, SolrSchema.METADATA_ID);
    doc.addField(SolrSchema.KIND, SolrSchema.METADATA_KIND);
    StringBuilder text = new StringBuilder();
    metadata
        .toUserData()
        .forEach((k, v) -> text.append(k).append('=').append(v.replace("\n", " ")).append('\n'));
    doc.addField(SolrSchema.METADATA, text.toString());
    return doc;
  }

  /**
   * Reads a metadata document's text back.
   *
   * @throws IllegalStateException when a key is missing or malformed
   */
  public static IndexMetadata metadataOf(String text) {
    Map<String, String> data = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        data.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return IndexMetadata.fromUserData(data);
  }
}
