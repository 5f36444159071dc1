package com.fashionsearch.bench.eval;

import com.fashionsearch.data.Catalog;
import com.fashionsearch.data.CatalogColumns;
import com.fashionsearch.data.CatalogReader;
import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.EmbeddingCache;
import com.fashionsearch.indexer.LearnOptions;
import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.indexer.ReindexOptions;
import com.fashionsearch.indexer.Reindexer;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.models.EmbedderIdentity;
import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.ImageRejectedException;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Held-out evaluation by k-fold over a catalog, the deployment case of a learned projection: for
 * each fold, the other folds are indexed by the real reindex (which learns its projection from
 * their labels) and the fold's products are queries, their images embedded as uploads are and
 * searched through {@link LuceneProductSearcher#similarToEmbedding}. No query image is ever a
 * training image, and no query's label is ever seen. The same folds are indexed without learning
 * too, so the label-free figure of the same split stands beside the learned one.
 *
 * <p>Embeddings come from an existing index's embedding cache (the model's identity must match); an
 * image missing from it is embedded and added. Not thread-safe: one run at a time.
 */
public final class FoldedEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(FoldedEvaluation.class);

  /**
   * The figures of both arms.
   *
   * @param learned with the projection learned from the training folds' labels
   * @param labelFree the network's own vectors, same folds
   * @param folds how many folds ran
   * @param learnedDescription what the last fold's projection was ({@code
   *     ProjectionInfo.describe()})
   */
  public record Result(
      SearcherEvaluation.Figures learned,
      SearcherEvaluation.Figures labelFree,
      int folds,
      String learnedDescription) {}

  private final SearcherEvaluation evaluation;
  private final int folds;
  private final long seed;
  private final LearnOptions learn;

  /**
   * @param evaluation the cut-off and levels
   * @param folds at least 2
   * @param seed the seed of the fold assignment
   * @param learn what the learned arm learns (not {@code none})
   */
  public FoldedEvaluation(SearcherEvaluation evaluation, int folds, long seed, LearnOptions learn) {
    if (folds < 2 || folds > 20) {
      throw new IllegalArgumentException("folds must be between 2 and 20, got: " + folds);
    }
    if (learn.mode() == LearnOptions.Mode.NONE) {
      throw new IllegalArgumentException(
          "a folded evaluation compares a learned projection with none: --learn none has nothing to"
              + " compare");
    }
    this.evaluation = evaluation;
    this.folds = folds;
    this.seed = seed;
    this.learn = learn;
  }

  /**
   * Runs every fold.
   *
   * @param catalogDir the catalog
   * @param cacheDir the embedding cache folder to read (and add to)
   * @param embedders makes an embedder of the cache's model (for reindexes and uncached images)
   * @param workDir an empty or absent folder for the folds' catalogs and indexes (removed after)
   */
  public Result run(
      Path catalogDir,
      Path cacheDir,
      Supplier<ImageEmbedder> embedders,
      Path workDir,
      ProgressListener progress)
      throws IOException {
    Catalog catalog = new CatalogReader().read(catalogDir, false);
    List<Product> products = new ArrayList<>(catalog.products());
    if (products.size() < folds * 10) {
      throw new IllegalArgumentException(
          "a "
              + folds
              + "-fold evaluation needs at least "
              + folds * 10
              + " products, the catalog has "
              + products.size());
    }
    Collections.shuffle(products, new Random(seed));
    Map<String, float[]> embeddings = embeddings(products, cacheDir, embedders);
    SearcherEvaluation.Figures learned = new SearcherEvaluation.Figures(evaluation.k());
    SearcherEvaluation.Figures labelFree = new SearcherEvaluation.Figures(evaluation.k());
    String description = "";
    Files.createDirectories(workDir);
    try {
      for (int fold = 0; fold < folds; fold++) {
        List<Product> train = new ArrayList<>();
        List<SearcherEvaluation.Query> queries = new ArrayList<>();
        for (int i = 0; i < products.size(); i++) {
          Product p = products.get(i);
          if (i % folds == fold) {
            float[] e = embeddings.get(p.id());
            if (e != null) {
              queries.add(new SearcherEvaluation.Query(p.id(), p.attributes(), Optional.of(e)));
            }
          } else {
            train.add(p);
          }
        }
        Path foldDir = workDir.resolve("fold-" + fold);
        Path foldCatalog = writeCatalog(foldDir.resolve("catalog"), train, catalogDir);
        LOG.info(
            "fold {}/{}: {} training products, {} held-out queries",
            fold + 1,
            folds,
            train.size(),
            queries.size());
        for (boolean learning : new boolean[] {true, false}) {
          Path index = foldDir.resolve(learning ? "learned" : "label-free");
          Files.createDirectories(index);
          Files.createSymbolicLink(index.resolve("cache"), cacheDir.toAbsolutePath());
          ReindexOptions options =
              new ReindexOptions(
                      foldCatalog, index, 32, false, VectorIndexOptions.RECOMMENDED, true)
                  .withLearn(learning ? learn : LearnOptions.NONE);
          new Reindexer(options, embedders, ProgressListener.NONE).run();
          try (LuceneProductSearcher searcher =
              LuceneProductSearcher.open(
                  index,
                  new com.fashionsearch.searcher.IndexEmbedders(Optional.empty()),
                  KnnTuning.DEFAULT)) {
            if (learning) {
              description = searcher.info().toString();
            }
            evaluation.run(searcher, queries, progress, learning ? learned : labelFree);
          }
        }
        deleteRecursively(foldDir);
        LOG.info(
            "after fold {}/{}: learned {}; label-free {}",
            fold + 1,
            folds,
            learned.summary(),
            labelFree.summary());
      }
    } finally {
      deleteRecursively(workDir);
    }
    return new Result(learned, labelFree, folds, description);
  }

  /** Every product's embedding: from the cache, else computed and added to it. */
  private static Map<String, float[]> embeddings(
      List<Product> products, Path cacheDir, Supplier<ImageEmbedder> embedders) throws IOException {
    Map<String, float[]> out = new HashMap<>();
    try (ImageEmbedder embedder = embedders.get()) {
      EmbedderIdentity id = embedder.identity();
      try (EmbeddingCache cache =
          EmbeddingCache.open(
              cacheDir, id.modelId(), id.weightsId(), id.preprocessing(), id.dimension())) {
        int computed = 0;
        int skipped = 0;
        for (Product p : products) {
          byte[] bytes;
          try {
            bytes = Files.readAllBytes(p.image());
          } catch (IOException e) {
            skipped++;
            continue;
          }
          String sha = EmbeddingCache.sha256Hex(bytes);
          float[] v = cache.get(sha);
          if (v == null) {
            try {
              v = embedder.embed(List.of(ImageDecoder.decode(bytes, p.image().toString())))[0];
            } catch (ImageRejectedException e) {
              skipped++;
              continue;
            }
            cache.put(sha, v);
            computed++;
          }
          out.put(p.id(), v);
        }
        cache.sync();
        LOG.info(
            "query embeddings: {} from the cache, {} computed, {} images unusable",
            out.size() - computed,
            computed,
            skipped);
      }
    }
    return out;
  }

  private static Path writeCatalog(Path dir, List<Product> products, Path sourceCatalog)
      throws IOException {
    Files.createDirectories(dir);
    List<String> header = new ArrayList<>();
    header.add(CatalogColumns.ID);
    header.addAll(CatalogColumns.ATTRIBUTES);
    try (Writer w =
            Files.newBufferedWriter(
                dir.resolve(CatalogReader.STYLES_FILE), StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT)) {
      csv.printRecord(header);
      for (Product p : products) {
        List<String> row = new ArrayList<>();
        row.add(p.id());
        for (String column : CatalogColumns.ATTRIBUTES) {
          row.add(p.attribute(column));
        }
        csv.printRecord(row);
      }
    }
    Files.createSymbolicLink(
        dir.resolve(CatalogReader.IMAGES_DIR),
        sourceCatalog.resolve(CatalogReader.IMAGES_DIR).toAbsolutePath());
    return dir;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
