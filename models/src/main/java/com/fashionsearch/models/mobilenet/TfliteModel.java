package com.fashionsearch.models.mobilenet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The root table of a TensorFlow Lite file ({@code Model} in TFLite's {@code schema.fbs}), read
 * with the flatbuffers runtime. Only the fields this project needs have accessors: operator codes,
 * subgraphs and buffers. A read-only view over the file's bytes; thread-safe while they are not
 * modified (accessors use absolute reads, no shared cursor).
 */
public final class TfliteModel extends TfliteTable {
  /** The file identifier TFLite writes at offset 4. */
  public static final String FILE_IDENTIFIER = "TFL3";

  private TfliteModel() {}

  /**
   * Wraps the bytes of a {@code .tflite} file.
   *
   * @throws IllegalArgumentException if the bytes do not carry the {@code TFL3} identifier
   */
  public static TfliteModel of(ByteBuffer bytes) {
    ByteBuffer bb = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (bb.remaining() < 8 || !__has_identifier(bb, FILE_IDENTIFIER)) {
      throw new IllegalArgumentException(
          "not a TensorFlow Lite file: no '"
              + FILE_IDENTIFIER
              + "' identifier in the first 8 of "
              + bb.remaining()
              + " bytes");
    }
    TfliteModel model = new TfliteModel();
    model.reset(bb.getInt(bb.position()) + bb.position(), bb);
    return model;
  }

  /** The schema version (3 for current files). */
  public int version() {
    return intField(0, 0);
  }

  public int operatorCodesLength() {
    return vectorLength(1);
  }

  public TfliteOperatorCode operatorCode(int i) {
    return tableElement(1, i, new TfliteOperatorCode());
  }

  public int subgraphsLength() {
    return vectorLength(2);
  }

  public TfliteSubGraph subgraph(int i) {
    return tableElement(2, i, new TfliteSubGraph());
  }

  /** The model's description, or {@code null}. */
  public String description() {
    return stringField(3);
  }

  public int buffersLength() {
    return vectorLength(4);
  }

  public TfliteBuffer buffer(int i) {
    return tableElement(4, i, new TfliteBuffer());
  }
}
