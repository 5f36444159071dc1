package com.fashionsearch.models.mobilenet;

/**
 * {@code SubGraph}: tensors, the graph's inputs and outputs (tensor indices) and its operators in
 * execution order. Read-only view; thread-safe while the bytes are not modified.
 */
public final class TfliteSubGraph extends TfliteTable {

  public int tensorsLength() {
    return vectorLength(0);
  }

  public TfliteTensor tensor(int i) {
    return tableElement(0, i, new TfliteTensor());
  }

  public int[] inputs() {
    return intVector(1);
  }

  public int[] outputs() {
    return intVector(2);
  }

  public int operatorsLength() {
    return vectorLength(3);
  }

  public TfliteOperator operator(int i) {
    return tableElement(3, i, new TfliteOperator());
  }

  public String name() {
    return stringField(4);
  }
}
