package com.fashionsearch.indexer.codec;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * A Lucene vectors format that raises the dimension limit of the format it wraps.
 *
 * <p>Lucene's formats refuse vectors above 1024 dimensions ({@link
 * KnnVectorsFormat#getMaxDimensions}); VGG16's fc2 layer has 4096. The on-disk data is exactly the
 * delegate's: this class changes only the limit. Each subclass has its own SPI name, registered in
 * {@code META-INF/services/org.apache.lucene.codecs.KnnVectorsFormat}, so that Lucene's per-field
 * format finds it by name when it opens an index, with the no-argument constructor (the HNSW
 * parameters matter only when writing).
 *
 * <p>Thread-safe (immutable), as Lucene requires of formats.
 */
public abstract class HighDimensionVectorsFormat extends KnnVectorsFormat {
  /** The largest vector this project indexes: VGG16 fc2. */
  public static final int MAX_DIMENSIONS = 4096;

  private final KnnVectorsFormat delegate;

  protected HighDimensionVectorsFormat(String name, KnnVectorsFormat delegate) {
    super(name);
    this.delegate = delegate;
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return delegate.fieldsWriter(state);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return delegate.fieldsReader(state);
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return MAX_DIMENSIONS;
  }

  @Override
  public String toString() {
    return getName() + "(maxDimensions=" + MAX_DIMENSIONS + ", delegate=" + delegate + ")";
  }
}
