package com.fashionsearch.searcher;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The searcher contract on the local backend: {@link LuceneProductSearcher} over fashion-1k. */
class LuceneContractTest extends ProductSearcherContract {
  private ContractCatalog catalog;
  private LuceneProductSearcher searcher;

  @BeforeAll
  void reindex(@TempDir Path tmp) throws IOException {
    catalog = ContractCatalog.build(tmp.resolve("index"));
    searcher =
        LuceneProductSearcher.open(
            catalog.indexDir(), (metadata, weights) -> new GrayGridEmbedder(), KnnTuning.DEFAULT);
  }

  @AfterAll
  void close() throws IOException {
    if (searcher != null) {
      searcher.close();
    }
  }

  @Override
  protected ContractCatalog catalog() {
    return catalog;
  }

  @Override
  protected ProductSearcher searcher() {
    return searcher;
  }

  @Override
  protected String backend() {
    return "lucene";
  }
}
