/**
 * ImageNet-pretrained MobileNets read from TensorFlow Lite flatbuffer files and run on ND4J: a
 * minimal reader of the TFLite schema ({@link com.fashionsearch.models.mobilenet.TfliteModel}), the
 * dequantisation of its uint8 weights, a SameDiff graph builder, and the {@link
 * com.fashionsearch.models.mobilenet.MobileNetEmbedder}.
 */
package com.fashionsearch.models.mobilenet;
