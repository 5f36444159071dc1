package com.fashionsearch.searcher;

import com.fashionsearch.data.CatalogColumns;
import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.IndexGenerations;
import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.ProductDocuments;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.FashionCodec;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.models.ImageEmbedder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Small index generations written directly with the indexer's schema, for tests, and a tiny
 * deterministic embedder (an image's mean colour). Public so that the server's tests use it too.
 */
public final class TestIndexes {
  /** The test embedder's model id. */
  public static final String MODEL = "test-colour";

  /** The test embedder's weights id. */
  public static final String WEIGHTS = "colour:1";

  private TestIndexes() {}

  /** A product with every attribute; its image is {@code images/<id>.png} under {@code catalog}. */
  public static Product product(
      Path catalog,
      String id,
      String gender,
      String masterCategory,
      String subCategory,
      String articleType,
      String baseColour,
      int year,
      String name) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("gender", gender);
    a.put("masterCategory", masterCategory);
    a.put("subCategory", subCategory);
    a.put("articleType", articleType);
    a.put("baseColour", baseColour);
    a.put("season", "Summer");
    a.put(CatalogColumns.YEAR, Integer.toString(year));
    a.put("usage", "Casual");
    a.put(CatalogColumns.DISPLAY_NAME, name);
    return new Product(id, a, catalog.resolve("images").resolve(id + ".png"));
  }

  /**
   * Products for {@code vectors}, numbered from 0: product i is Women when i % 4 == 0 (else Men),
   * Apparel when even (else Footwear), Red when i % 10 == 3 (else Blue), and of subCategory Far
   * when it is among the 40% of the products least similar to {@code query} (else Near): a filter
   * whose matches all lie away from that query.
   */
  public static List<Product> farFromQuery(Path catalog, float[][] vectors, float[] query) {
    int n = vectors.length;
    Integer[] byDistance = new Integer[n];
    float[] first = SyntheticVectors.normalise(query.clone());
    float[] similarity = new float[n];
    for (int i = 0; i < n; i++) {
      byDistance[i] = i;
      similarity[i] =
          IndexSchema.SIMILARITY.compare(first, SyntheticVectors.normalise(vectors[i].clone()));
    }
    Arrays.sort(byDistance, (a, b) -> Float.compare(similarity[a], similarity[b]));
    Set<Integer> far = new HashSet<>(Arrays.asList(byDistance).subList(0, n * 4 / 10));
    List<Product> products = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      products.add(
          product(
              catalog,
              Integer.toString(i),
              i % 4 == 0 ? "Women" : "Men",
              i % 2 == 0 ? "Apparel" : "Footwear",
              far.contains(i) ? "Far" : "Near",
              "Type",
              i % 10 == 3 ? "Red" : "Blue",
              2012,
              "Product " + i));
    }
    return products;
  }

  /**
   * Writes one single-segment generation of {@code products} with {@code vectors} (normalised here)
   * and makes it current.
   *
   * @return the generation number
   */
  public static long writeGeneration(
      Path indexRoot,
      Path catalog,
      List<Product> products,
      List<float[]> vectors,
      boolean pretrained)
      throws IOException {
    return writeGeneration(
        indexRoot, catalog, products, vectors, pretrained, VectorIndexOptions.DEFAULT);
  }

  /**
   * As {@link #writeGeneration(Path, Path, List, List, boolean)}, with these vector index options.
   */
  public static long writeGeneration(
      Path indexRoot,
      Path catalog,
      List<Product> products,
      List<float[]> vectors,
      boolean pretrained,
      VectorIndexOptions options)
      throws IOException {
    return writeGeneration(indexRoot, catalog, products, vectors, pretrained, options, 1);
  }

  /**
   * As {@link #writeGeneration(Path, Path, List, List, boolean, VectorIndexOptions)}, in {@code
   * segments} segments of about equal size (1: merged into one).
   */
  public static long writeGeneration(
      Path indexRoot,
      Path catalog,
      List<Product> products,
      List<float[]> vectors,
      boolean pretrained,
      VectorIndexOptions options,
      int segments)
      throws IOException {
    IndexGenerations generations = new IndexGenerations(indexRoot);
    Files.createDirectories(indexRoot);
    long n = generations.next();
    int dimension = vectors.get(0).length;
    IndexMetadata metadata =
        new IndexMetadata(
            IndexSchema.VERSION,
            MODEL,
            WEIGHTS,
            pretrained,
            dimension,
            IndexSchema.SIMILARITY.name(),
            options.describe(),
            catalog.toAbsolutePath().toString(),
            n,
            products.size(),
            Map.of());
    try (FSDirectory dir = FSDirectory.open(generations.generationDir(n));
        IndexWriter writer = new IndexWriter(dir, config(options, products.size(), segments))) {
      int perSegment = (products.size() + segments - 1) / segments;
      for (int i = 0; i < products.size(); i++) {
        writer.addDocument(
            ProductDocuments.toDocument(
                products.get(i), SyntheticVectors.normalise(vectors.get(i).clone())));
        if (segments > 1 && (i + 1) % perSegment == 0) {
          writer.flush();
        }
      }
      if (segments == 1) {
        writer.forceMerge(1);
      }
      writer.setLiveCommitData(metadata.toUserData().entrySet());
      writer.commit();
    }
    generations.switchTo(n);
    return n;
  }

  private static IndexWriterConfig config(VectorIndexOptions options, int documents, int segments) {
    if (segments < 1 || segments > documents) {
      throw new IllegalArgumentException(
          "segments must be between 1 and " + documents + ", got: " + segments);
    }
    // sorted as fashion reindex sorts, so that tests see documents in the product's order
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setCodec(new FashionCodec(options))
            .setIndexSort(IndexSchema.indexSort());
    return segments == 1 ? config : config.setMergePolicy(NoMergePolicy.INSTANCE);
  }

  /**
   * A one-segment index in {@code d} of the first {@code n} of {@code vectors} (the vector field
   * only, document i holding vector i), written with {@link FashionCodec} and {@code quantization}.
   */
  public static DirectoryReader vectorIndex(
      Directory d, VectorIndexOptions.Quantization quantization, float[][] vectors, int n)
      throws IOException {
    try (IndexWriter w =
        new IndexWriter(
            d,
            new IndexWriterConfig()
                .setCodec(new FashionCodec(new VectorIndexOptions(16, 100, quantization)))
                .setRAMBufferSizeMB(256))) {
      for (int i = 0; i < n; i++) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(IndexSchema.VECTOR, vectors[i], IndexSchema.SIMILARITY));
        w.addDocument(doc);
      }
      w.forceMerge(1);
    }
    return DirectoryReader.open(d);
  }

  /**
   * Writes a generation of one product (a red women's T-shirt, vector {1, 0, 0, 0}) under {@code
   * dir}/index.
   */
  public static long oneProductGeneration(Path dir) throws IOException {
    return writeGeneration(
        dir.resolve("index"),
        dir,
        List.of(product(dir, "1", "Women", "Apparel", "Topwear", "Tshirts", "Red", 2012, "One")),
        List.of(new float[] {1, 0, 0, 0}),
        false);
  }

  /** A 4-d vector for a colour: its normalised red, green, blue and a small constant. */
  public static float[] colourVector(int rgb) {
    float r = ((rgb >> 16) & 0xff) / 255f;
    float g = ((rgb >> 8) & 0xff) / 255f;
    float b = (rgb & 0xff) / 255f;
    return SyntheticVectors.normalise(new float[] {r, g, b, 0.1f});
  }

  /** An image of one colour. */
  public static BufferedImage solid(int rgb, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  /**
   * Embeds an image as {@link #colourVector} of its mean colour. Not thread-safe (like a network).
   */
  public static final class ColourEmbedder implements ImageEmbedder {
    private final boolean pretrained;
    private boolean closed;

    public ColourEmbedder(boolean pretrained) {
      this.pretrained = pretrained;
    }

    @Override
    public String modelId() {
      return MODEL;
    }

    @Override
    public String weightsId() {
      return WEIGHTS;
    }

    @Override
    public boolean pretrained() {
      return pretrained;
    }

    @Override
    public int dimension() {
      return 4;
    }

    @Override
    public float[][] embed(List<BufferedImage> images) {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      float[][] out = new float[images.size()][];
      for (int i = 0; i < images.size(); i++) {
        BufferedImage image = images.get(i);
        long r = 0;
        long g = 0;
        long b = 0;
        int n = image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
          for (int x = 0; x < image.getWidth(); x++) {
            int rgb = image.getRGB(x, y);
            r += (rgb >> 16) & 0xff;
            g += (rgb >> 8) & 0xff;
            b += rgb & 0xff;
          }
        }
        out[i] = colourVector((int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n));
      }
      return out;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
