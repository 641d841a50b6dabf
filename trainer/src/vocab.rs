//! The word-piece vocabulary, learnt from the training texts only.
//!
//! Built here rather than by the `tokenizers` WordPiece trainer, whose ties between equally
//! frequent pieces follow hash-map order and so differ from run to run: the vocabulary is every
//! character seen (alone and as a `##` continuation, so any word can be spelled out) and then
//! the most frequent whole words, ties broken alphabetically. Sub-word evidence for unseen and
//! misspelt words comes from the model's hashed character n-grams instead.

use crate::error::TrainError;
use ahash::AHashMap;
use std::collections::{BTreeMap, BTreeSet};
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::normalizers::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::{
    NormalizedString, Normalizer, OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer,
    Tokenizer,
};

/// clean text, CJK characters as words, strip accents, lower-case: "Cita", "cita" and "citá" are
/// one word to a patient, so they are one token here.
fn bert_normalizer() -> BertNormalizer {
    BertNormalizer::new(true, true, Some(true), true)
}

/// Trains a BERT-style word-piece tokenizer on `texts`, deterministically.
pub fn train(texts: &[String], vocab_size: usize) -> Result<Tokenizer, TrainError> {
    let tokenizer_error = |e: tokenizers::Error| TrainError::Tokenizer(e.to_string());
    let normalizer = bert_normalizer();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut chars: BTreeSet<char> = BTreeSet::new();
    for text in texts {
        let mut normalized = NormalizedString::from(text.as_str());
        normalizer
            .normalize(&mut normalized)
            .map_err(tokenizer_error)?;
        let mut words = PreTokenizedString::from(normalized.get());
        BertPreTokenizer
            .pre_tokenize(&mut words)
            .map_err(tokenizer_error)?;
        for (word, _, _) in words.get_splits(OffsetReferential::Original, OffsetType::Byte) {
            chars.extend(word.chars());
            *counts.entry(word.to_owned()).or_default() += 1;
        }
    }
    let mut tokens: Vec<String> = vec!["[UNK]".to_owned()];
    for c in &chars {
        tokens.push(c.to_string());
        tokens.push(format!("##{c}"));
    }
    let mut words: Vec<(&String, &u64)> = counts
        .iter()
        .filter(|(word, n)| **n >= 2 && word.chars().count() > 1)
        .collect();
    words.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let room = vocab_size.saturating_sub(tokens.len());
    tokens.extend(words.into_iter().take(room).map(|(word, _)| word.clone()));
    let vocab: AHashMap<String, u32> = tokens
        .into_iter()
        .enumerate()
        .map(|(i, t)| (t, i as u32))
        .collect();
    let model = WordPiece::builder()
        .vocab(vocab)
        .unk_token("[UNK]".into())
        .build()
        .map_err(tokenizer_error)?;
    let mut tokenizer = Tokenizer::new(model);
    tokenizer
        .with_normalizer(Some(bert_normalizer()))
        .map_err(tokenizer_error)?;
    tokenizer.with_pre_tokenizer(Some(BertPreTokenizer));
    Ok(tokenizer)
}
