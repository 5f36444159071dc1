package com.fashionsearch.indexer;

import com.fashionsearch.data.Product;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.learned.LabelProjection;
import com.fashionsearch.models.learned.ProjectionTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learning step of a reindex: trains a {@link LabelProjection} on the catalog's embeddings and
 * labels, or takes the one of another index, and saves it into the new generation. Not thread-safe:
 * one per reindex.
 */
final class ProjectionLearning {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionLearning.class);

  /** Fewer products than this are not enough to learn from: the vectors stay the network's. */
  static final int MIN_PRODUCTS = 50;

  private final LearnOptions options;
  private final ImageEmbedder embedder;

  ProjectionLearning(LearnOptions options, ImageEmbedder embedder) {
    this.options = options;
    this.embedder = embedder;
  }

  /**
   * The projection for these products, saved into {@code target}; empty when {@code auto} finds
   * nothing to learn (too few products, or no label column with two classes large enough).
   *
   * @throws IllegalArgumentException when explicit columns cannot be learned, or the other index
   *     has no projection or one made for another model
   */
  Optional<LabelProjection> learn(List<Product> products, List<float[]> embeddings, Path target)
      throws IOException {
    return switch (options.mode()) {
      case NONE -> Optional.empty();
      case FROM -> Optional.of(copyFrom(options.from().orElseThrow(), target));
      case AUTO, COLUMNS -> train(products, embeddings, target);
    };
  }

  private Optional<LabelProjection> train(
      List<Product> products, List<float[]> embeddings, Path target) throws IOException {
    boolean auto = options.mode() == LearnOptions.Mode.AUTO;
    if (products.size() < MIN_PRODUCTS) {
      if (auto) {
        LOG.info(
            "learning: {} products are too few to learn a projection from (at least {});"
                + " the vectors stay the network's",
            products.size(),
            MIN_PRODUCTS);
        return Optional.empty();
      }
      throw new IllegalArgumentException(
          "--learn needs at least "
              + MIN_PRODUCTS
              + " products to learn from, the catalog has "
              + products.size());
    }
    Map<String, String[]> labels = new LinkedHashMap<>();
    for (String column : options.columns()) {
      String[] values = new String[products.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = products.get(i).attribute(column).strip();
      }
      labels.put(column, values);
    }
    ProjectionTrainer.Settings settings = options.settings().forProducts(products.size());
    LOG.info(
        "learning a projection from the labels {} of {} products (seed {}, {} epochs)",
        options.columns(),
        products.size(),
        settings.seed(),
        settings.epochs());
    ProjectionTrainer.Trained trained;
    try {
      trained =
          new ProjectionTrainer(settings)
              .train(embeddings.toArray(float[][]::new), embedder.visualDimension(), labels);
    } catch (IllegalArgumentException e) {
      if (auto) {
        LOG.info("learning: {}; the vectors stay the network's", e.getMessage());
        return Optional.empty();
      }
      throw e;
    }
    try (trained) {
      trained.save(target);
    }
    return Optional.of(trained.projection());
  }

  private LabelProjection copyFrom(Path otherIndex, Path target) throws IOException {
    IndexGenerations other = new IndexGenerations(otherIndex);
    if (other.current().isEmpty()) {
      throw new IllegalArgumentException(
          "--learn-from " + otherIndex + " is not an index folder (no CURRENT)");
    }
    Path dir = other.currentDir();
    Path source = dir.resolve(Reindexer.LEARNED_DIR);
    if (!LabelProjection.existsIn(source)) {
      throw new IllegalArgumentException(
          "--learn-from " + otherIndex + ": its current generation has no learned projection");
    }
    IndexMetadata metadata;
    try (FSDirectory directory = FSDirectory.open(dir);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      metadata = IndexMetadata.fromUserData(reader.getIndexCommit().getUserData());
    }
    if (!metadata.modelId().equals(embedder.modelId())
        || !metadata.weightsId().equals(embedder.weightsId())
        || !metadata.preprocessing().equals(embedder.preprocessing())) {
      throw new IllegalArgumentException(
          "--learn-from "
              + otherIndex
              + ": its projection was learned on model "
              + metadata.modelId()
              + " (weights "
              + metadata.weightsId()
              + ", preprocessing "
              + metadata.preprocessing()
              + "), this reindex embeds with "
              + embedder.modelId()
              + " (weights "
              + embedder.weightsId()
              + ", preprocessing "
              + embedder.preprocessing()
              + ")");
    }
    Files.createDirectories(target);
    for (String file : List.of(LabelProjection.NETWORK_FILE, LabelProjection.INFO_FILE)) {
      Files.copy(source.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    LabelProjection projection = LabelProjection.load(target);
    LOG.info(
        "learning: the projection of {} ({}, learned on {} products of {}) is applied",
        otherIndex,
        projection.info().describe(),
        projection.info().trainingProducts(),
        metadata.catalog());
    return projection;
  }
}
