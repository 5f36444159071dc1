package com.fashionsearch.searcher;

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

  private VectorizedBits() {}

  /** Whether the vectors are at least 256 bits wide: below that, a word at a time is as fast. */
  static boolean wide() {
    return SPECIES.vectorBitSize() >= 256;
  }

  /** As {@link BinaryCodeScorer#highPlanes}. */
  static long highPlanes(long[] code, long[] planes, int words) {
    LongVector p2 = LongVector.zero(SPECIES);
    LongVector p3 = LongVector.zero(SPECIES);
    int bound = SPECIES.loopBound(words);
    int w = 0;
    for (; w < bound; w += LANES) {
      LongVector d = LongVector.fromArray(SPECIES, code, w);
      p2 = p2.add(LongVector.fromArray(SPECIES, planes, 2 * words + w).and(d).lanewise(VectorOperators.BIT_COUNT));
      p3 = p3.add(LongVector.fromArray(SPECIES, planes, 3 * words + w).and(d).lanewise(VectorOperators.BIT_COUNT));
    }
    long sum2 = p2.reduceLanes(VectorOperators.ADD);
    long sum3 = p3.reduceLanes(VectorOperators.ADD);
    for (; w < words; w++) {
      sum2 += Long.bitCount(planes[2 * words + w] & code[w]);
      sum3 += Long.bitCount(planes[3 * words + w] & code[w]);
    }
    return 4 * sum2 + 8 * sum3;
  }

  /** As {@link BinaryCodeScorer#allPlanes}. */
  static long allPlanes(long[] code, long[] planes, int words) {
    LongVector p0 = LongVector.zero(SPECIES);
    LongVector p1 = LongVector.zero(SPECIES);
    LongVector p2 = LongVector.zero(SPECIES);
    LongVector p3 = LongVector.zero(SPECIES);
    int bound = SPECIES.loopBound(words);
    int w = 0;
    for (; w < bound; w += LANES) {
      LongVector d = LongVector.fromArray(SPECIES, code, w);
      p0 = p0.add(LongVector.fromArray(SPECIES, planes, w).and(d).lanewise(VectorOperators.BIT_COUNT));
      p1 = p1.add(LongVector.fromArray(SPECIES, planes, words + w).and(d).lanewise(VectorOperators.BIT_COUNT));
      p2 = p2.add(LongVector.fromArray(SPECIES, planes, 2 * words + w).and(d).lanewise(VectorOperators.BIT_COUNT));
      p3 = p3.add(LongVector.fromArray(SPECIES, planes, 3 * words + w).and(d).lanewise(VectorOperators.BIT_COUNT));
    }
    long sum0 = p0.reduceLanes(VectorOperators.ADD);
    long sum1 = p1.reduceLanes(VectorOperators.ADD);
    long sum2 = p2.reduceLanes(VectorOperators.ADD);
    long sum3 = p3.reduceLanes(VectorOperators.ADD);
    for (; w < words; w++) {
      sum0 += Long.bitCount(planes[w] & code[w]);
      sum1 += Long.bitCount(planes[words + w] & code[w]);
      sum2 += Long.bitCount(planes[2 * words + w] & code[w]);
      sum3 += Long.bitCount(planes[3 * words + w] & code[w]);
    }
    return sum0 + 2 * sum1 + 4 * sum2 + 8 * sum3;
  }
}
