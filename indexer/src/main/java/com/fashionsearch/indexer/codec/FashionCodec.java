package com.fashionsearch.indexer.codec;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;

/**
 * The codec this project writes with: Lucene's default codec, except that vector fields use a
 * {@link HighDimensionVectorsFormat}.
 *
 * <p>It keeps the default codec's name, so segments record that name and read back with Lucene's
 * own codec; that codec's per-field vectors format then finds our format through SPI by the name it
 * recorded per field. Nothing but the {@code KnnVectorsFormat} service registration is needed to
 * read an index: {@code FashionCodec} itself is only used for writing.
 *
 * <p>Thread-safe (immutable).
 */
public final class FashionCodec extends FilterCodec {
  private final KnnVectorsFormat vectors;

  /**
   * @param options how vector fields are indexed
   */
  public FashionCodec(VectorIndexOptions options) {
    this(Codec.getDefault(), options);
  }

  private FashionCodec(Codec base, VectorIndexOptions options) {
    super(base.getName(), base);
    KnnVectorsFormat format = options.format();
    this.vectors =
        new PerFieldKnnVectorsFormat() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return format;
          }
        };
  }

  @Override
  public KnnVectorsFormat knnVectorsFormat() {
    return vectors;
  }
}
