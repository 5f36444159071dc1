package com.fashionsearch.indexer;

import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.lucene.index.IndexWriter;

/**
 * A {@link VectorSink} that adds each product as a document of {@link IndexSchema} to a Lucene
 * writer, with its vector passed through a transform first (the identity, or a learned projection).
 * Thread-safe as far as the writer is; the pipeline uses it from one thread.
 */
public final class LuceneDocumentSink implements VectorSink {
  private final IndexWriter writer;
  private final UnaryOperator<float[]> transform;

  /**
   * @param writer the generation's writer (not closed here)
   * @param transform what each vector becomes before it is indexed
   */
  public LuceneDocumentSink(IndexWriter writer, UnaryOperator<float[]> transform) {
    this.writer = writer;
    this.transform = transform;
  }

  @Override
  public void accept(List<EmbeddedProduct> batch) throws IOException {
    for (EmbeddedProduct p : batch) {
      writer.addDocument(ProductDocuments.toDocument(p.product(), transform.apply(p.vector())));
    }
  }
}
