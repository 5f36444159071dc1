package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * MobileNet-EdgeTPU's ImageNet top-5 on product photos ({@link ImageNetTop5Check}): the file's
 * intermediate shapes are absent, so this also checks the inferred shapes and the full 3x3
 * convolutions of its early blocks.
 */
class MobileNetEdgeTpuImageNetTop5Test {
  /**
   * Measured: 0.747 (56/75; 2026-12-03, resize PAD); v2 scores 0.493 on the same images. A broken
   * network scores near chance (under 2%); 0.30 leaves more than three standard deviations
   * (sqrt(0.25/75) = 0.058) of sampling room below the measured rate.
   */
  private static final double THRESHOLD = 0.30;

  @Test
  void top5NamesPlausibleClassesForMappedArticleTypes() throws Exception {
    double rate = ImageNetTop5Check.hitRate(MobileNetVariant.EDGETPU);
    assertTrue(rate >= THRESHOLD, "top-5 hit rate " + rate + " below " + THRESHOLD);
  }
}
