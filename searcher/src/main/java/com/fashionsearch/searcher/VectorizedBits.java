package com.fashionsearch.searcher;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BinaryCodeScorer}'s counts with the incubating vector API: the same sums as its word-at-a-
 * time loops, {@link #LANES} words at a time. Loaded only when the JVM has the module (see {@code
 * BinaryCodeScorer.VECTORIZED}): one started without {@code --add-modules jdk.incubator.vector}
 * cannot initialize it.
 */
final class VectorizedBits {
  private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
  static final int LANES = SPECIES.length();

  /** Bytes of the same width as {@link #SPECIES}, to load a code's words from a byte array. */
  private static final VectorSpecies<Byte> BYTES =
      VectorSpecies.of(byte.class, SPECIES.vectorShape());

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private VectorizedBits() {}

  /** Whether the vectors are at least 256 bits wide: below that, a word at a time is as fast. */
  static boolean wide() {
    return SPECIES.vectorBitSize() >= 256;
  }

  /** As {@link BinaryCodeScorer#twoPlanes}. */
  static long twoPlanes(byte[] codes, int at, long[] planes, int words, int low) {
    LongVector lower = LongVector.zero(SPECIES);
    LongVector upper = LongVector.zero(SPECIES);
    int bound = SPECIES.loopBound(words);
    int w = 0;
    for (; w < bound; w += LANES) {
      LongVector d = ByteVector.fromArray(BYTES, codes, at + w * Long.BYTES).reinterpretAsLongs();
      lower =
          lower.add(
              LongVector.fromArray(SPECIES, planes, low * words + w)
                  .and(d)
                  .lanewise(VectorOperators.BIT_COUNT));
      upper =
          upper.add(
              LongVector.fromArray(SPECIES, planes, (low + 1) * words + w)
                  .and(d)
                  .lanewise(VectorOperators.BIT_COUNT));
    }
    long sumLower = lower.reduceLanes(VectorOperators.ADD);
    long sumUpper = upper.reduceLanes(VectorOperators.ADD);
    for (; w < words; w++) {
      long c = (long) LONG.get(codes, at + w * Long.BYTES);
      sumLower += Long.bitCount(planes[low * words + w] & c);
      sumUpper += Long.bitCount(planes[(low + 1) * words + w] & c);
    }
    return (sumLower + 2 * sumUpper) << low;
  }
}
