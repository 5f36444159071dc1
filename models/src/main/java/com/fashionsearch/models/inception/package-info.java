/**
 * Inception v3 features from a Keras model in TensorFlow.js format: the topology imported with
 * Deeplearning4j's Keras import, the quantised weights read from the manifest's shards.
 */
package com.fashionsearch.models.inception;
