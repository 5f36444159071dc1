package com.fashionsearch.bench.eval;

import com.fashionsearch.indexer.IndexGenerations;
import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.IndexSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The current generation of an index folder opened for evaluation: its metadata, a searcher for
 * graph queries, and every product's labels and vector read into memory (with the Lucene doc id of
 * each, in {@link #items()} order). Thread-safe for reading once opened; close it once.
 */
public final class EvaluationIndex implements AutoCloseable {
  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final IndexMetadata metadata;
  private final List<LabeledVector> items;
  private final Map<Integer, Integer> itemOfDoc;

  private EvaluationIndex(
      Directory directory,
      DirectoryReader reader,
      IndexMetadata metadata,
      List<LabeledVector> items,
      Map<Integer, Integer> itemOfDoc) {
    this.directory = directory;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.metadata = metadata;
    this.items = List.copyOf(items);
    this.itemOfDoc = Map.copyOf(itemOfDoc);
  }

  /**
   * Opens the generation that {@code root}'s {@code CURRENT} names.
   *
   * @throws IllegalStateException when there is no index, or its schema version is another
   * @throws IOException when the index cannot be read
   */
  public static EvaluationIndex open(Path root) throws IOException {
    Path dir = new IndexGenerations(root).currentDir();
    Directory directory = FSDirectory.open(dir);
    DirectoryReader reader = null;
    try {
      reader = DirectoryReader.open(directory);
      IndexMetadata metadata = IndexMetadata.fromUserData(reader.getIndexCommit().getUserData());
      metadata.requireSchema();
      List<LabeledVector> items = new ArrayList<>(reader.numDocs());
      Map<Integer, Integer> itemOfDoc = new HashMap<>();
      readItems(reader, items, itemOfDoc);
      return new EvaluationIndex(directory, reader, metadata, items, itemOfDoc);
    } catch (IOException | RuntimeException e) {
      if (reader != null) {
        reader.close();
      }
      directory.close();
      throw e;
    }
  }

  private static void readItems(
      DirectoryReader reader, List<LabeledVector> items, Map<Integer, Integer> itemOfDoc)
      throws IOException {
    Set<String> fields = new HashSet<>(LabeledVector.LEVELS);
    fields.add(IndexSchema.ID);
    for (LeafReaderContext ctx : reader.leaves()) {
      LeafReader leaf = ctx.reader();
      FloatVectorValues values = leaf.getFloatVectorValues(IndexSchema.VECTOR);
      if (values == null) {
        continue;
      }
      StoredFields stored = leaf.storedFields();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (leaf.getLiveDocs() != null && !leaf.getLiveDocs().get(doc)) {
          continue;
        }
        Document d = stored.document(doc, fields);
        List<String> labels = new ArrayList<>();
        for (String level : LabeledVector.LEVELS) {
          String v = d.get(level);
          labels.add(v == null ? "" : v);
        }
        itemOfDoc.put(ctx.docBase + doc, items.size());
        items.add(
            new LabeledVector(
                d.get(IndexSchema.ID), labels, values.vectorValue(it.index()).clone()));
      }
    }
  }

  /** The position in {@link #items()} of the product with global doc id {@code doc}, or -1. */
  public int itemOfDoc(int doc) {
    return itemOfDoc.getOrDefault(doc, -1);
  }

  /** The generation's metadata (model, weights, counts). */
  public IndexMetadata metadata() {
    return metadata;
  }

  /** Every product with a vector. */
  public List<LabeledVector> items() {
    return items;
  }

  /** A searcher over the generation, for graph queries. */
  public IndexSearcher searcher() {
    return searcher;
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      directory.close();
    }
  }
}
