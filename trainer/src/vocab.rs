//! The word-piece vocabulary, learnt from the training texts only.

use crate::error::TrainError;
use tokenizers::models::wordpiece::{WordPiece, WordPieceTrainer};
use tokenizers::models::TrainerWrapper;
use tokenizers::normalizers::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::{AddedToken, Tokenizer};

/// Trains a BERT-style word-piece tokenizer (lower-cased, accents stripped) on `texts`.
pub fn train(texts: &[String], vocab_size: usize) -> Result<Tokenizer, TrainError> {
    let model = WordPiece::builder()
        .unk_token("[UNK]".into())
        .build()
        .map_err(|e| TrainError::Tokenizer(e.to_string()))?;
    let mut tokenizer = Tokenizer::new(model);
    // clean text, handle CJK as separate words, strip accents, lower-case: "Cita", "cita" and
    // "citá" are one word to a patient, so they are one token here.
    tokenizer
        .with_normalizer(Some(BertNormalizer::new(true, true, Some(true), true)))
        .map_err(|e| TrainError::Tokenizer(e.to_string()))?;
    tokenizer.with_pre_tokenizer(Some(BertPreTokenizer));
    let mut trainer: TrainerWrapper = WordPieceTrainer::builder()
        .vocab_size(vocab_size)
        .min_frequency(2)
        .show_progress(false)
        .special_tokens(vec![AddedToken::from("[UNK]", true)])
        .build()
        .into();
    tokenizer
        .train(&mut trainer, texts.iter())
        .map_err(|e| TrainError::Tokenizer(e.to_string()))?;
    Ok(tokenizer)
}
