package com.fashionsearch.indexer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an index generation was built from, recorded in its commit's user data: schema version,
 * model and weights identity, vector dimension and similarity, vector index options, and the
 * catalog's counts. Immutable and thread-safe.
 *
 * @param schemaVersion {@link IndexSchema#VERSION} at write time
 * @param modelId the embedder's model id, e.g. {@code vgg16}
 * @param weightsId the embedder's weights id, e.g. {@code random:42}
 * @param pretrained false when the weights are untrained
 * @param dimension the vector dimension
 * @param similarity the vector similarity function's name
 * @param vectorIndex the vector index options, as {@code VectorIndexOptions.describe()}
 * @param catalog the catalog folder the generation was built from (absolute)
 * @param generation the generation number
 * @param products the number of product documents
 * @param counts further counts: catalog rows, skipped by reason, embedded, from cache
 * @param preprocessing the embedder's preprocessing id ({@code ImageEmbedder.preprocessing()}, e.g.
 *     {@code resize=crop}), which queries must use too; {@link #UNRECORDED} for an index written
 *     before it was recorded (all of which were made with the pad resize)
 * @param learned what the generation's learned projection was trained on ({@code
 *     ProjectionInfo.describe()}), or {@link #NOT_LEARNED}: then the vectors are the embedder's own
 */
public record IndexMetadata(
    int schemaVersion,
    String modelId,
    String weightsId,
    boolean pretrained,
    int dimension,
    String similarity,
    String vectorIndex,
    String catalog,
    long generation,
    int products,
    Map<String, Integer> counts,
    String preprocessing,
    String learned) {

  private static final String PREFIX_COUNT = "count.";
  private static final String KEY_PREPROCESSING = "embedder.preprocessing";
  private static final String KEY_LEARNED = "learned.projection";

  /** The {@link #learned} of a generation without a learned projection. */
  public static final String NOT_LEARNED = "";

  /** The preprocessing of an index written before it was recorded. */
  public static final String UNRECORDED = "";

  public IndexMetadata {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(weightsId, "weightsId");
    Objects.requireNonNull(preprocessing, "preprocessing");
    Objects.requireNonNull(learned, "learned");
    counts = Map.copyOf(counts);
  }

  /** Metadata of a generation without a learned projection. */
  public IndexMetadata(
      int schemaVersion,
      String modelId,
      String weightsId,
      boolean pretrained,
      int dimension,
      String similarity,
      String vectorIndex,
      String catalog,
      long generation,
      int products,
      Map<String, Integer> counts,
      String preprocessing) {
    this(
        schemaVersion,
        modelId,
        weightsId,
        pretrained,
        dimension,
        similarity,
        vectorIndex,
        catalog,
        generation,
        products,
        counts,
        preprocessing,
        NOT_LEARNED);
  }

  /** True when the generation's vectors went through a learned projection (its folder holds it). */
  public boolean isLearned() {
    return !learned.isEmpty();
  }

  /** Metadata without a recorded preprocessing ({@link #UNRECORDED}): for synthetic indexes. */
  public IndexMetadata(
      int schemaVersion,
      String modelId,
      String weightsId,
      boolean pretrained,
      int dimension,
      String similarity,
      String vectorIndex,
      String catalog,
      long generation,
      int products,
      Map<String, Integer> counts) {
    this(
        schemaVersion,
        modelId,
        weightsId,
        pretrained,
        dimension,
        similarity,
        vectorIndex,
        catalog,
        generation,
        products,
        counts,
        UNRECORDED);
  }

  /** True when the index records its embedder's preprocessing. */
  public boolean preprocessingRecorded() {
    return !preprocessing.isEmpty();
  }

  /** The commit user data that records this metadata. */
  public Map<String, String> toUserData() {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("schema.version", Integer.toString(schemaVersion));
    data.put("model.id", modelId);
    data.put("weights.id", weightsId);
    data.put("weights.pretrained", Boolean.toString(pretrained));
    if (preprocessingRecorded()) {
      data.put(KEY_PREPROCESSING, preprocessing);
    }
    if (isLearned()) {
      data.put(KEY_LEARNED, learned);
    }
    data.put("vector.dimension", Integer.toString(dimension));
    data.put("vector.similarity", similarity);
    data.put("vector.index", vectorIndex);
    data.put("catalog.path", catalog);
    data.put("generation", Long.toString(generation));
    data.put("products", Integer.toString(products));
    new TreeMap<>(counts).forEach((k, v) -> data.put(PREFIX_COUNT + k, Integer.toString(v)));
    return data;
  }

  /**
   * Reads metadata back from a commit's user data.
   *
   * @throws IllegalStateException when the user data lacks a key or holds a malformed value: the
   *     index was not written by this project
   */
  public static IndexMetadata fromUserData(Map<String, String> data) {
    Map<String, Integer> counts = new TreeMap<>();
    data.forEach(
        (k, v) -> {
          if (k.startsWith(PREFIX_COUNT)) {
            counts.put(k.substring(PREFIX_COUNT.length()), parseInt(k, v));
          }
        });
    return new IndexMetadata(
        parseInt("schema.version", require(data, "schema.version")),
        require(data, "model.id"),
        require(data, "weights.id"),
        Boolean.parseBoolean(require(data, "weights.pretrained")),
        parseInt("vector.dimension", require(data, "vector.dimension")),
        require(data, "vector.similarity"),
        require(data, "vector.index"),
        require(data, "catalog.path"),
        Long.parseLong(require(data, "generation")),
        parseInt("products", require(data, "products")),
        counts,
        data.getOrDefault(KEY_PREPROCESSING, UNRECORDED),
        data.getOrDefault(KEY_LEARNED, NOT_LEARNED));
  }

  /**
   * Fails unless this index can be read by this build and queried with vectors from {@code
   * modelId}.
   *
   * @param modelId the query embedder's model id
   * @param weightsId the query embedder's weights id
   * @throws IllegalStateException naming what differs: schema version, model or weights
   */
  public void requireCompatible(String modelId, String weightsId) {
    requireSchema();
    if (!this.modelId.equals(modelId) || !this.weightsId.equals(weightsId)) {
      throw new IllegalStateException(
          "index was built with model "
              + this.modelId
              + " (weights "
              + this.weightsId
              + ") but the query embedder is model "
              + modelId
              + " (weights "
              + weightsId
              + "): query with the index's model, or reindex with --model "
              + modelId);
    }
  }

  /**
   * Fails unless this index can be queried with vectors from an embedder of this model, weights and
   * preprocessing. An index that does not record its preprocessing accepts any (it predates the
   * record).
   *
   * @param preprocessing the query embedder's {@code preprocessing()} id
   * @throws IllegalStateException naming what differs: schema version, model, weights or
   *     preprocessing
   */
  public void requireCompatible(String modelId, String weightsId, String preprocessing) {
    requireCompatible(modelId, weightsId);
    if (preprocessingRecorded() && !this.preprocessing.equals(preprocessing)) {
      throw new IllegalStateException(
          "index was built with preprocessing '"
              + this.preprocessing
              + "' but the query embedder uses '"
              + preprocessing
              + "': query with the index's preprocessing, or reindex with the other one");
    }
  }

  /**
   * Fails unless this build understands the index's schema version.
   *
   * @throws IllegalStateException naming both versions
   */
  public void requireSchema() {
    if (schemaVersion != IndexSchema.VERSION) {
      throw new IllegalStateException(
          "index has schema version "
              + schemaVersion
              + " but this build reads version "
              + IndexSchema.VERSION
              + ": reindex the catalog with this build");
    }
  }

  private static String require(Map<String, String> data, String key) {
    String value = data.get(key);
    if (value == null) {
      throw new IllegalStateException(
          "index commit lacks '"
              + key
              + "' in its user data: not an index written by fashion reindex");
    }
    return value;
  }

  private static int parseInt(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("index metadata '" + key + "' is not a number: " + value, e);
    }
  }
}
