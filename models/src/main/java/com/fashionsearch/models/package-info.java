/**
 * Pixels to vectors: image decoding ({@link com.fashionsearch.models.ImageDecoder}, which turns
 * image bytes into RGB images or rejects them by reason), preprocessing and the {@link
 * com.fashionsearch.models.ImageEmbedder} implementations (VGG16 fc2 on Deeplearning4j), created by
 * {@link com.fashionsearch.models.Embedders}, either built now or deferred ({@link
 * com.fashionsearch.models.LazyEmbedder}: the {@link com.fashionsearch.models.EmbedderIdentity}
 * now, the network on first use).
 */
package com.fashionsearch.models;
