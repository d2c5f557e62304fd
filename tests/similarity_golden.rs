//! BLEU against NLTK on the committed golden set (scripts/gen-bleu-golden.py), and the
//! properties of local embeddings and Δ.

use serde_json::Value;
use tooldraft::similarity::{bleu, cosine, delta, sentence_bleu, tokenize, Embedder, LocalEmbedder};

fn golden() -> Vec<(String, String, f64)> {
    let v: Value = serde_json::from_str(include_str!("fixtures/bleu_golden.json")).unwrap();
    v["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["reference"].as_str().unwrap().to_string(),
                p["hypothesis"].as_str().unwrap().to_string(),
                p["bleu"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn bleu_equals_nltk_method4_on_the_golden_set() {
    let pairs = golden();
    assert!(pairs.len() >= 300, "the golden set has {} pairs", pairs.len());
    let mut worst = (0.0f64, 0usize);
    for (i, (r, h, expected)) in pairs.iter().enumerate() {
        let got = bleu(r, h);
        let err = (got - expected).abs();
        if err > worst.0 {
            worst = (err, i);
        }
        assert!(err < 1e-6, "pair {i}: ours {got}, nltk {expected}\nref: {r:?}\nhyp: {h:?}");
    }
    eprintln!("largest difference from NLTK: {:e} (pair {})", worst.0, worst.1);
}

#[test]
fn golden_set_covers_the_edge_cases() {
    let pairs = golden();
    let empty = pairs.iter().filter(|(r, h, _)| tokenize(r).is_empty() || tokenize(h).is_empty()).count();
    let short = pairs.iter().filter(|(_, h, _)| (1..4).contains(&tokenize(h).len())).count();
    let identical = pairs.iter().filter(|(r, h, _)| !r.is_empty() && r == h).count();
    let zero_nonempty =
        pairs.iter().filter(|(r, h, b)| *b == 0.0 && !tokenize(r).is_empty() && !tokenize(h).is_empty()).count();
    let unicode = pairs.iter().filter(|(r, h, _)| !r.is_ascii() || !h.is_ascii()).count();
    assert!(empty >= 4 && short >= 20 && identical >= 3 && zero_nonempty >= 2 && unicode >= 8);
}

#[test]
fn tokenised_and_text_forms_agree() {
    for (r, h, _) in golden().iter().take(50) {
        let (rt, ht) = (tokenize(r), tokenize(h));
        assert_eq!(sentence_bleu(&rt, &ht), bleu(r, h));
    }
}

#[test]
fn embeddings_rank_paraphrases_above_unrelated_texts() {
    let e = LocalEmbedder::default();
    let base = "Get the current weather for a city by name";
    let near = "get current weather for the city named";
    let far = "Delete a repository and all of its branches";
    let (b, n, f) = (e.embed_text(base), e.embed_text(near), e.embed_text(far));
    assert!(cosine(&b, &n) > 0.6, "{}", cosine(&b, &n));
    assert!(cosine(&b, &f) < 0.2, "{}", cosine(&b, &f));
    assert!(cosine(&b, &n) > cosine(&b, &f) + 0.4);
}

#[test]
fn delta_is_one_for_equal_texts_and_low_for_rewrites() {
    let e = LocalEmbedder::default();
    let a = "Generates placeholder text based on the length query parameter.";
    let b = "Returns lorem ipsum placeholder text; length must be small, medium or large and defaults to medium.";
    let same = delta(a, a, &e.embed_text(a), &e.embed_text(a));
    let diff = delta(a, b, &e.embed_text(a), &e.embed_text(b));
    assert!((same - 1.0).abs() < 1e-6);
    assert!(diff < 0.75 && diff > 0.0, "{diff}");
}

#[test]
fn the_local_embedder_is_an_embedder() {
    let e = LocalEmbedder::default();
    assert!(e.is_local());
    let texts = vec!["a b".to_string(), "c d".to_string()];
    let v = futures::executor::block_on(e.embed(&texts)).unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0], e.embed_text("a b"));
}
