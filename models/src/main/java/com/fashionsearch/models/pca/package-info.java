/** PCA whitening of embeddings, fitted on a catalog's vectors. */
package com.fashionsearch.models.pca;
