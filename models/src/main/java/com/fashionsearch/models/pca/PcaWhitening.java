package com.fashionsearch.models.pca;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * PCA whitening fitted on a set of vectors: {@code x -> normalise(Λ^-1/2 Uᵀ (x - μ))} keeping the
 * {@code dims} leading principal components, each divided by the square root of its variance (plus
 * a small fraction of the largest, so that tiny components are not blown up). The result is
 * L2-normalised again, ready for dot-product search. Immutable and thread-safe once fitted.
 */
public final class PcaWhitening {
  /** Added to every eigenvalue, as a fraction of the largest. */
  public static final double REGULARISATION = 1e-4;

  private final float[] mean;
  private final float[][] projection; // [dims][d], rows already scaled by 1/sqrt(lambda)

  private PcaWhitening(float[] mean, float[][] projection) {
    this.mean = mean;
    this.projection = projection;
  }

  /**
   * Fits the whitening on {@code vectors}.
   *
   * @param dims the output dimension, 1 to the input dimension
   * @throws IllegalArgumentException for fewer than 2 vectors, ragged vectors or dims out of range
   */
  public static PcaWhitening fit(float[][] vectors, int dims) {
    if (vectors.length < 2) {
      throw new IllegalArgumentException("PCA needs at least 2 vectors, got: " + vectors.length);
    }
    int d = vectors[0].length;
    if (dims < 1 || dims > d) {
      throw new IllegalArgumentException("dims must be in [1, " + d + "], got: " + dims);
    }
    int n = vectors.length;
    double[] sum = new double[d];
    for (float[] v : vectors) {
      if (v.length != d) {
        throw new IllegalArgumentException(
            "vectors must all have dimension " + d + ", got one of " + v.length);
      }
      for (int j = 0; j < d; j++) {
        sum[j] += v[j];
      }
    }
    float[] mean = new float[d];
    for (int j = 0; j < d; j++) {
      mean[j] = (float) (sum[j] / n);
    }
    float[] centred = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        centred[i * d + j] = vectors[i][j] - mean[j];
      }
    }
    float[][] projection;
    try (INDArray x = Nd4j.create(centred, new long[] {n, d}, 'c').castTo(DataType.DOUBLE)) {
      INDArray cov = x.transpose().mmul(x).divi(n - 1).dup('f');
      INDArray eigenvalues =
          Eigen.symmetricGeneralizedEigenvalues(cov, true); // ascending; cov := vectors
      double largest = eigenvalues.getDouble(d - 1);
      double eps = REGULARISATION * Math.max(largest, 1e-12);
      projection = new float[dims][d];
      for (int c = 0; c < dims; c++) {
        int col = d - 1 - c;
        double scale = 1 / Math.sqrt(Math.max(eigenvalues.getDouble(col), 0) + eps);
        INDArray u = cov.get(NDArrayIndex.all(), NDArrayIndex.point(col));
        for (int j = 0; j < d; j++) {
          projection[c][j] = (float) (u.getDouble(j) * scale);
        }
      }
    }
    return new PcaWhitening(mean, projection);
  }

  /** The output dimension. */
  public int dimension() {
    return projection.length;
  }

  /** Whitens and L2-normalises one vector. */
  public float[] apply(float[] v) {
    if (v.length != mean.length) {
      throw new IllegalArgumentException(
          "expected dimension " + mean.length + ", got: " + v.length);
    }
    float[] out = new float[projection.length];
    double norm = 0;
    for (int c = 0; c < projection.length; c++) {
      double s = 0;
      float[] row = projection[c];
      for (int j = 0; j < v.length; j++) {
        s += row[j] * (v[j] - mean[j]);
      }
      out[c] = (float) s;
      norm += s * s;
    }
    if (norm > 0) {
      float inv = (float) (1 / Math.sqrt(norm));
      for (int c = 0; c < out.length; c++) {
        out[c] *= inv;
      }
    }
    return out;
  }

  /** Whitens every vector. */
  public float[][] apply(float[][] vectors) {
    float[][] out = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      out[i] = apply(vectors[i]);
    }
    return out;
  }
}
