package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float graph's first four layers of MobileNet v1 (a stride-2 CONV_2D, a DEPTHWISE_CONV_2D, a
 * pointwise CONV_2D and a stride-2 DEPTHWISE_CONV_2D, each with fused ReLU6) against TFLite's
 * integer arithmetic on the quantised values. Each layer's integer reference reads the float
 * graph's previous output quantised to uint8, so the two may differ only by that input rounding (at
 * most half an input step times the channel's weight L1 norm) plus half an output step: the test
 * asserts that bound for every element.
 */
class MobileNetQuantizedLayersTest {
  private static final long SEED = 20261127L;

  @Test
  void firstLayersMatchIntegerArithmetic() throws Exception {
    Path file = MobileNetTestFiles.require(MobileNetVariant.V1);
    TfliteModel model = TfliteModel.of(ByteBuffer.wrap(Files.readAllBytes(file)));
    TfliteSubGraph g = model.subgraph(0);
    int side = g.tensor(g.inputs()[0]).shape()[1];
    Random random = new Random(SEED);
    // a smooth random image (waves plus noise) so that activations cover their range
    int[] pixels = new int[side * side * 3];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        for (int c = 0; c < 3; c++) {
          int v =
              (int) (128 + 100 * Math.sin((x * (c + 1) + y * 2) / 17.0)) + random.nextInt(41) - 20;
          pixels[(y * side + x) * 3 + c] = Math.max(0, Math.min(255, v));
        }
      }
    }
    try (MobileNetGraph graph = MobileNetGraph.build(model)) {
      float[] input = new float[pixels.length];
      for (int i = 0; i < pixels.length; i++) {
        input[i] = graph.inputValue(pixels[i]);
      }
      INDArray in = Nd4j.create(input, new long[] {1, side, side, 3}, 'c');
      int[] currentShape = {1, side, side, 3};
      float[] currentReal = input;
      for (int opIndex = 0; opIndex < 4; opIndex++) {
        TfliteOperator op = g.operator(opIndex);
        int code = model.operatorCode(op.opcodeIndex()).builtinCode();
        boolean depthwise = code == TfliteOperatorCode.DEPTHWISE_CONV_2D;
        int[] ins = op.inputs();
        int out = op.outputs()[0];
        TfliteQuantization iq = g.tensor(ins[0]).quantization();
        QuantizedReference.Operand x =
            new QuantizedReference.Operand(
                QuantizedReference.quantize(currentReal, iq.scale()[0], (int) iq.zeroPoint()[0]),
                currentShape,
                iq.scale()[0],
                (int) iq.zeroPoint()[0]);
        TfliteTensor wt = g.tensor(ins[1]);
        QuantizedReference.Operand w =
            QuantizedReference.operand(
                g, ins[1], QuantizedReference.uint8(model.buffer(wt.buffer()).data()), wt.shape());
        int[] bias = QuantizedReference.int32(model.buffer(g.tensor(ins[2]).buffer()).data());
        TfliteQuantization oq = g.tensor(out).quantization();
        double outScale = oq.scale()[0];
        int outZero = (int) oq.zeroPoint()[0];
        assertEquals(TfliteConvOptions.ACTIVATION_RELU6, op.convOptions().fusedActivation());
        int qmax = (int) Math.min(255, outZero + Math.round(6 / outScale));
        int[] outShape = new int[4];
        int[] expected =
            QuantizedReference.conv(
                x,
                w,
                bias,
                op.convOptions().strideH(),
                depthwise,
                outScale,
                outZero,
                outZero,
                qmax,
                outShape);
        double[] l1 = QuantizedReference.channelWeightL1(w, depthwise);

        float[] actual =
            graph
                .run(in, MobileNetGraph.variableName(out))
                .get(MobileNetGraph.variableName(out))
                .dup()
                .data()
                .asFloat();
        assertEquals(expected.length, actual.length, "op " + opIndex + " output size");
        int channels = outShape[3];
        double sumAbs = 0;
        double maxExcess = Double.NEGATIVE_INFINITY;
        int nonZero = 0;
        for (int i = 0; i < expected.length; i++) {
          double ref = outScale * (expected[i] - outZero);
          double d = Math.abs(ref - actual[i]);
          double bound = 0.5 * x.scale() * l1[i % channels] + 0.5 * outScale + 1e-5;
          sumAbs += d;
          maxExcess = Math.max(maxExcess, d - bound);
          if (expected[i] != outZero) {
            nonZero++;
          }
        }
        double meanSteps = sumAbs / expected.length / outScale;
        System.out.printf(
            "op %d (%s, stride %d): mean |float - int| = %.3f output steps; %d of %d outputs"
                + " non-zero%n",
            opIndex,
            depthwise ? "depthwise" : "conv",
            op.convOptions().strideH(),
            meanSteps,
            nonZero,
            expected.length);
        assertTrue(
            nonZero > expected.length / 10,
            "op " + opIndex + ": the input exercises too few units");
        assertTrue(maxExcess <= 0, "op " + opIndex + " exceeds the rounding bound by " + maxExcess);
        assertTrue(meanSteps < 0.5, "op " + opIndex + " mean deviation " + meanSteps + " steps");
        currentReal = actual;
        currentShape = outShape;
      }
    }
  }
}
