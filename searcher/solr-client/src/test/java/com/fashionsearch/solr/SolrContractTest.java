package com.fashionsearch.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.searcher.ContractCatalog;
import com.fashionsearch.searcher.GrayGridEmbedder;
import com.fashionsearch.searcher.ProductSearcher;
import com.fashionsearch.searcher.ProductSearcherContract;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The searcher contract on SolrCloud: {@link SolrProductSearcher} over fashion-1k in a 2-shard
 * collection on the shared 2-node test cluster ({@link SolrTestCloud}), reached by node URLs.
 */
class SolrContractTest extends ProductSearcherContract {
  private SolrTestCloud cloud;
  private SolrProductSearcher searcher;

  @BeforeAll
  void open() throws Exception {
    cloud = SolrTestCloud.get();
    searcher =
        SolrProductSearcher.open(
            SolrTarget.urls(String.join(",", cloud.urls()), SolrTestCloud.ALIAS),
            (m, w) -> new GrayGridEmbedder());
  }

  @AfterAll
  void close() throws IOException {
    if (searcher != null) {
      searcher.close();
    }
  }

  @Override
  protected ContractCatalog catalog() {
    return cloud.catalog();
  }

  @Override
  protected ProductSearcher searcher() {
    return searcher;
  }

  @Override
  protected String backend() {
    return "solr";
  }

  @Test
  void aFilterSolrRefusesBecomesAnIllegalArgumentNamingTheCollection() {
    // the local parser reads year:2012.5 as year 2012; Solr refuses it (HTTP 400)
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> searcher.facets(SearchFilters.expression("year:2012.5")));
    assertTrue(e.getMessage().contains(searcher.collection()), e.getMessage());
    assertEquals(
        10,
        searcher
            .similarToVector(
                vectors().values().iterator().next(), SearchFilters.NONE, SearchOptions.top(10))
            .hits()
            .size());
  }
}
