//! What can stop a training run, each with what to do about it.

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{count} fixture error(s), first: {first}; run `evals validate` and fix them")]
    Fixtures { count: usize, first: String },
    #[error("{count} conversation(s) of {split} also appear in the test split (by content): {ids:?}; regenerate the splits with `evals split`")]
    Overlap {
        split: String,
        count: usize,
        ids: Vec<String>,
    },
    #[error("the CLINC150 file is not as expected: {0}")]
    Clinc(String),
    #[error("training the tokenizer failed: {0}")]
    Tokenizer(String),
    #[error(transparent)]
    Model(#[from] classifier::model::ModelError),
    #[error("tensor computation failed: {0}")]
    Candle(#[from] candle_core::Error),
}
