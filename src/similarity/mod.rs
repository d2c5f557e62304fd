//! Text similarity with no network: sentence BLEU-4 (NLTK's smoothing method 4), local text
//! embeddings (hashed n-grams) and cosine. Used by diversity-promoting exploration and
//! tool-adaptive termination.
