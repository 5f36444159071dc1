package com.fashionsearch.solr;

import com.fashionsearch.indexer.EmbeddedProduct;
import com.fashionsearch.indexer.VectorSink;
import com.fashionsearch.models.UnitLength;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrInputDocument;

/**
 * A {@link VectorSink} that sends each batch of embedded products to a Solr collection as one
 * update request of {@link SolrProductDocuments}. Thread-safe as far as the client is; the pipeline
 * uses it from one thread.
 */
final class SolrDocumentSink implements VectorSink {
  private final SolrClient client;
  private final String collection;
  private final int dimension;

  /**
   * @param client a client of the cluster (not closed here)
   * @param collection the collection the batches go to
   * @param dimension the collection's vector dimension: each embedding's visual part (see {@link
   *     com.fashionsearch.models.ImageEmbedder#visualDimension()})
   */
  SolrDocumentSink(SolrClient client, String collection, int dimension) {
    this.client = client;
    this.collection = collection;
    this.dimension = dimension;
  }

  /**
   * @throws IOException when the collection refuses the batch, naming the collection and the
   *     batch's size
   */
  @Override
  public void accept(List<EmbeddedProduct> batch) throws IOException {
    List<SolrInputDocument> docs = new ArrayList<>(batch.size());
    for (EmbeddedProduct p : batch) {
      docs.add(
          SolrProductDocuments.toDocument(p.product(), UnitLength.leading(p.vector(), dimension)));
    }
    try {
      client.add(collection, docs);
    } catch (SolrServerException | RuntimeException e) {
      throw new IOException(
          "collection "
              + collection
              + " refused a batch of "
              + docs.size()
              + " products: "
              + e.getMessage(),
          e);
    }
  }
}
