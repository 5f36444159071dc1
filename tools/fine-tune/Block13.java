import com.fashionsearch.models.mobilenet.*;
import java.nio.ByteBuffer;
import java.nio.file.*;

/**
 * MobileNet v1's block 13 read from the TFLite file: the last DEPTHWISE_CONV_2D (3x3, stride 1,
 * SAME) and the CONV_2D (1x1, 1024 -> 1024) that follows it, dequantised as MobileNetGraph does,
 * with each output's clamp (fused ReLU6 and the uint8 output range). {@code input} is the tensor
 * index of block 12's output (the depthwise convolution's input).
 */
record Block13(int input, int dwOutput, int pwOutput, float[] dwWeights, float[] dwBias, float dwLo, float dwHi,
    float[] pwWeights, float[] pwBias, float pwLo, float pwHi, int channels) {

  static Block13 read(Path tflite) throws Exception {
    TfliteModel model = TfliteModel.of(ByteBuffer.wrap(Files.readAllBytes(tflite)));
    TfliteSubGraph g = model.subgraph(0);
    int lastDw = -1;
    for (int i = 0; i < g.operatorsLength(); i++) {
      if (model.operatorCode(g.operator(i).opcodeIndex()).builtinCode() == TfliteOperatorCode.DEPTHWISE_CONV_2D) lastDw = i;
    }
    TfliteOperator dw = g.operator(lastDw);
    int pwIndex = -1;
    for (int i = lastDw + 1; i < g.operatorsLength(); i++) {
      TfliteOperator op = g.operator(i);
      if (model.operatorCode(op.opcodeIndex()).builtinCode() == TfliteOperatorCode.CONV_2D
          && op.inputs()[0] == dw.outputs()[0]) { pwIndex = i; break; }
    }
    if (pwIndex < 0) throw new IllegalStateException("no 1x1 convolution after the last depthwise one");
    TfliteOperator pw = g.operator(pwIndex);
    var dwo = dw.convOptions();
    if (dwo.strideH() != 1 || dwo.strideW() != 1 || dwo.padding() != TfliteConvOptions.PADDING_SAME)
      throw new IllegalStateException("block 13's depthwise convolution is not stride 1 SAME");
    DequantizedTensor dwW = DequantizedTensor.of(model, g, dw.inputs()[1]); // [1, 3, 3, C]
    DequantizedTensor dwB = DequantizedTensor.ofBias(model, g, dw.inputs()[2], dw.inputs()[0], dw.inputs()[1]);
    DequantizedTensor pwW = DequantizedTensor.of(model, g, pw.inputs()[1]); // [O, 1, 1, C]
    DequantizedTensor pwB = DequantizedTensor.ofBias(model, g, pw.inputs()[2], pw.inputs()[0], pw.inputs()[1]);
    float[] dc = clamp(dw.convOptions().fusedActivation(), g.tensor(dw.outputs()[0]));
    float[] pc = clamp(pw.convOptions().fusedActivation(), g.tensor(pw.outputs()[0]));
    int c = dwW.shape()[3];
    System.out.printf("block 13: depthwise op %d %s on tensor %d (%s) clamp [%g, %g]; pointwise op %d %s clamp [%g, %g]%n",
        lastDw, java.util.Arrays.toString(dwW.shape()), dw.inputs()[0], g.tensor(dw.inputs()[0]).name(), dc[0], dc[1],
        pwIndex, java.util.Arrays.toString(pwW.shape()), pc[0], pc[1]);
    return new Block13(dw.inputs()[0], dw.outputs()[0], pw.outputs()[0], dwW.values(), dwB.values(), dc[0], dc[1],
        pwW.values(), pwB.values(), pc[0], pc[1], c);
  }

  /** As MobileNetGraph.Clamp.of: the fused activation and the uint8 output's range. */
  static float[] clamp(int activation, TfliteTensor out) {
    double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
    if (activation == TfliteConvOptions.ACTIVATION_RELU) lo = 0;
    else if (activation == TfliteConvOptions.ACTIVATION_RELU6) { lo = 0; hi = 6; }
    else if (activation != TfliteConvOptions.ACTIVATION_NONE) throw new IllegalStateException("activation " + activation);
    TfliteQuantization q = out.quantization();
    if (out.type() == TfliteTensor.UINT8 && q != null && q.scale().length == 1) {
      lo = Math.max(lo, q.scale()[0] * (0 - q.zeroPoint()[0]));
      hi = Math.min(hi, q.scale()[0] * (255 - q.zeroPoint()[0]));
    }
    return new float[] {(float) lo, (float) hi};
  }
}
