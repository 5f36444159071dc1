package com.fashionsearch.models.mobilenet;

import java.nio.ByteBuffer;

/**
 * {@code Buffer}: the raw little-endian bytes of a constant tensor (empty for activations).
 * Read-only view; thread-safe while the bytes are not modified.
 */
public final class TfliteBuffer extends TfliteTable {

  /** The data as a read-only little-endian slice; empty when the buffer holds none. */
  public ByteBuffer data() {
    return byteVector(0);
  }
}
