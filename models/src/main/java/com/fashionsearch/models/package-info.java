/**
 * Pixels to vectors: {@link com.fashionsearch.models.ImageDecoder} turns image bytes into RGB images
 * (or rejects them by reason), and the {@link com.fashionsearch.models.ImageEmbedder}
 * implementations turn images into feature vectors.
 */
package com.fashionsearch.models;
