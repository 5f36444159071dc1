package com.fashionsearch.models.mobilenet;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A flatbuffer table of the TFLite schema, addressed by field number (the n-th field of a table in
 * {@code schema.fbs} sits at vtable offset {@code 4 + 2n}). Subclasses give the fields names. Reads
 * only; thread-safe while the underlying bytes are not modified.
 */
abstract class TfliteTable extends Table {

  final void reset(int position, ByteBuffer buffer) {
    __reset(position, buffer);
  }

  private int field(int n) {
    return __offset(4 + 2 * n);
  }

  final boolean has(int n) {
    return field(n) != 0;
  }

  final int intField(int n, int defaultValue) {
    int o = field(n);
    return o != 0 ? bb.getInt(o + bb_pos) : defaultValue;
  }

  final int byteField(int n, int defaultValue) {
    int o = field(n);
    return o != 0 ? bb.get(o + bb_pos) : defaultValue;
  }

  final int unsignedByteField(int n, int defaultValue) {
    int o = field(n);
    return o != 0 ? Byte.toUnsignedInt(bb.get(o + bb_pos)) : defaultValue;
  }

  final String stringField(int n) {
    int o = field(n);
    return o != 0 ? __string(o + bb_pos) : null;
  }

  final int vectorLength(int n) {
    int o = field(n);
    return o != 0 ? __vector_len(o) : 0;
  }

  /** Element {@code i} of a vector of tables. */
  final <T extends TfliteTable> T tableElement(int n, int i, T into) {
    int len = vectorLength(n);
    if (i < 0 || i >= len) {
      throw new IndexOutOfBoundsException(
          "element "
              + i
              + " of a vector of "
              + len
              + " in field "
              + n
              + " of "
              + getClass().getSimpleName());
    }
    int element = __vector(field(n)) + i * 4;
    into.reset(__indirect(element), bb);
    return into;
  }

  /** A sub-table field, or {@code null} when absent. */
  final <T extends TfliteTable> T tableField(int n, T into) {
    int o = field(n);
    if (o == 0) {
      return null;
    }
    into.reset(__indirect(o + bb_pos), bb);
    return into;
  }

  /** A union field's table (a union value is an offset to a table), or {@code null} when absent. */
  final <T extends TfliteTable> T unionField(int n, T into) {
    int o = field(n);
    if (o == 0) {
      return null;
    }
    into.reset(__indirect(o + bb_pos), bb);
    return into;
  }

  final int[] intVector(int n) {
    int len = vectorLength(n);
    int[] out = new int[len];
    if (len > 0) {
      int start = __vector(field(n));
      for (int i = 0; i < len; i++) {
        out[i] = bb.getInt(start + 4 * i);
      }
    }
    return out;
  }

  final long[] longVector(int n) {
    int len = vectorLength(n);
    long[] out = new long[len];
    if (len > 0) {
      int start = __vector(field(n));
      for (int i = 0; i < len; i++) {
        out[i] = bb.getLong(start + 8 * i);
      }
    }
    return out;
  }

  final float[] floatVector(int n) {
    int len = vectorLength(n);
    float[] out = new float[len];
    if (len > 0) {
      int start = __vector(field(n));
      for (int i = 0; i < len; i++) {
        out[i] = bb.getFloat(start + 4 * i);
      }
    }
    return out;
  }

  /** A {@code [ubyte]} vector as a little-endian read-only slice (empty when absent). */
  final ByteBuffer byteVector(int n) {
    int len = vectorLength(n);
    if (len == 0) {
      return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    }
    return bb.duplicate()
        .position(__vector(field(n)))
        .limit(__vector(field(n)) + len)
        .slice()
        .asReadOnlyBuffer()
        .order(ByteOrder.LITTLE_ENDIAN);
  }
}
