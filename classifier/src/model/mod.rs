//! The intent model: a bag of word-piece and hashed features, mean-pooled separately for the
//! patient's message and the clinic's previous turn, then a small MLP to the 28 intents.
//!
//! Why this shape and not a transformer: a typical SMS must be triaged in well under 100 us
//! natively and the Worker's model must build in under 50 ms and ship in about a megabyte.
//! Character n-grams carry typo robustness and Spanish morphology; the context bag carries the
//! meaning of replies like "C" or "2". The same [`Network`] forward serves training (batched) and
//! inference, so what the trainer measured is what ships.

pub mod features;

use crate::intent::Intent;
use candle_core::{DType, Device, Tensor};
use features::{FeatureBag, FeatureSpace};
use serde::{Deserialize, Serialize};
use tokenizers::Tokenizer;

/// Names of the tensors in `model.safetensors`.
pub mod tensor_names {
    pub const EMBEDDINGS: &str = "embeddings";
    pub const W1: &str = "hidden.weight";
    pub const B1: &str = "hidden.bias";
    pub const W2: &str = "output.weight";
    pub const B2: &str = "output.bias";
}

/// `config.json`: everything needed to rebuild the network around the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelConfig {
    /// Bumped when the feature extraction or layout changes incompatibly.
    pub format: u32,
    pub features: FeatureSpace,
    pub dim: usize,
    pub hidden: usize,
    /// Output labels in order; must be the contract's intents.
    pub labels: Vec<Intent>,
    /// Word-piece tokens beyond this are ignored (an SMS is at most 1,600 characters).
    pub max_tokens: usize,
}

/// The format this build of the crate reads.
pub const FORMAT: u32 = 1;

/// Why the model could not be built or run.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("config.json is not valid: {0}")]
    Config(String),
    #[error("config.json has format {found}, this build reads format {FORMAT}: retrain with `make train`")]
    Format { found: u32 },
    #[error("tokenizer.json is not valid: {0}")]
    Tokenizer(String),
    #[error("model.safetensors is not valid: {0}")]
    Weights(String),
    #[error("tensor {name} has shape {found:?}, config.json says {expected:?}")]
    Shape {
        name: &'static str,
        found: Vec<usize>,
        expected: Vec<usize>,
    },
    #[error("the forward pass failed: {0}")]
    Forward(String),
}

impl From<candle_core::Error> for ModelError {
    fn from(e: candle_core::Error) -> Self {
        ModelError::Forward(e.to_string())
    }
}

/// The network's parameters as tensors, whether plain (inference) or trainable variables'
/// views (training).
#[derive(Debug, Clone)]
pub struct Network {
    pub embeddings: Tensor,
    pub w1: Tensor,
    pub b1: Tensor,
    pub w2: Tensor,
    pub b2: Tensor,
}

impl Network {
    /// Mean-pools each bag's rows: `(batch, 2 * dim)`, patient half then context half.
    pub fn pool(&self, bags: &[&FeatureBag]) -> candle_core::Result<Tensor> {
        let patient = self.pool_side(bags.iter().map(|b| b.patient.as_slice()))?;
        let context = self.pool_side(bags.iter().map(|b| b.context.as_slice()))?;
        Tensor::cat(&[&patient, &context], 1)
    }

    /// One side's mean as a product with a sparse-looking averaging matrix: a single gather and
    /// a single matmul per batch, which is also what backpropagates cheaply during training.
    fn pool_side<'a>(
        &self,
        sides: impl ExactSizeIterator<Item = &'a [u32]>,
    ) -> candle_core::Result<Tensor> {
        let device = self.embeddings.device();
        let batch = sides.len();
        let mut flat: Vec<u32> = Vec::new();
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(batch);
        for rows in sides {
            spans.push((flat.len(), rows.len()));
            flat.extend_from_slice(rows);
        }
        let dim = self.embeddings.dim(1)?;
        if flat.is_empty() {
            return Tensor::zeros((batch, dim), DType::F32, device);
        }
        let mut averaging = vec![0f32; batch * flat.len()];
        for (b, (start, len)) in spans.iter().enumerate() {
            let weight = 1.0 / (*len).max(1) as f32;
            for j in *start..start + len {
                averaging[b * flat.len() + j] = weight;
            }
        }
        let averaging = Tensor::from_vec(averaging, (batch, flat.len()), device)?;
        let gathered = self
            .embeddings
            .index_select(&Tensor::new(flat.as_slice(), device)?, 0)?;
        averaging.matmul(&gathered)
    }

    /// Logits `(batch, labels)` from pooled features.
    pub fn logits(&self, pooled: &Tensor) -> candle_core::Result<Tensor> {
        let hidden = pooled.matmul(&self.w1)?.broadcast_add(&self.b1)?.relu()?;
        hidden.matmul(&self.w2)?.broadcast_add(&self.b2)
    }
}

/// The trained intent model with its tokenizer.
pub struct IntentModel {
    config: ModelConfig,
    tokenizer: Tokenizer,
    network: Network,
}

impl std::fmt::Debug for IntentModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntentModel")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl IntentModel {
    /// Builds the model from its three artifacts' bytes (bundled with `include_bytes!` in the
    /// crate, or read from `models/` by the trainer).
    pub fn from_artifacts(
        weights: &[u8],
        tokenizer_json: &[u8],
        config_json: &[u8],
    ) -> Result<Self, ModelError> {
        let config: ModelConfig =
            serde_json::from_slice(config_json).map_err(|e| ModelError::Config(e.to_string()))?;
        if config.format != FORMAT {
            return Err(ModelError::Format {
                found: config.format,
            });
        }
        let tokenizer = load_tokenizer(tokenizer_json)?;
        let device = Device::Cpu;
        let tensors = candle_core::safetensors::load_buffer(weights, &device)
            .map_err(|e| ModelError::Weights(e.to_string()))?;
        let take = |name: &'static str, expected: Vec<usize>| -> Result<Tensor, ModelError> {
            let t = tensors
                .get(name)
                .ok_or_else(|| ModelError::Weights(format!("tensor {name} is missing")))?;
            if t.dims() != expected.as_slice() {
                return Err(ModelError::Shape {
                    name,
                    found: t.dims().to_vec(),
                    expected,
                });
            }
            // Weights may be stored as f16 to halve the Worker's size; compute in f32.
            Ok(t.to_dtype(DType::F32)?)
        };
        let labels = config.labels.len();
        let network = Network {
            embeddings: take(
                tensor_names::EMBEDDINGS,
                vec![config.features.rows(), config.dim],
            )?,
            w1: take(tensor_names::W1, vec![2 * config.dim, config.hidden])?,
            b1: take(tensor_names::B1, vec![config.hidden])?,
            w2: take(tensor_names::W2, vec![config.hidden, labels])?,
            b2: take(tensor_names::B2, vec![labels])?,
        };
        Ok(Self {
            config,
            tokenizer,
            network,
        })
    }

    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// The feature bag of a redacted patient message and the redacted clinic turn before it.
    pub fn features(&self, patient: &str, clinic: Option<&str>) -> Result<FeatureBag, ModelError> {
        bag(&self.tokenizer, &self.config, patient, clinic)
    }

    /// Probabilities over [`ModelConfig::labels`], in that order.
    pub fn probabilities(&self, bag: &FeatureBag) -> Result<Vec<f32>, ModelError> {
        let pooled = self.network.pool(&[bag])?;
        let logits = self.network.logits(&pooled)?;
        let probs = candle_nn::ops::softmax_last_dim(&logits)?;
        Ok(probs.squeeze(0)?.to_vec1::<f32>()?)
    }

    pub fn labels(&self) -> &[Intent] {
        &self.config.labels
    }
}

/// Reads a tokenizer.json and turns off its thread pool, which wasm32 does not have.
pub fn load_tokenizer(tokenizer_json: &[u8]) -> Result<Tokenizer, ModelError> {
    tokenizers::utils::parallelism::set_parallelism(false);
    Tokenizer::from_bytes(tokenizer_json).map_err(|e| ModelError::Tokenizer(e.to_string()))
}

/// Feature extraction shared by the trainer and [`IntentModel::features`].
pub fn bag(
    tokenizer: &Tokenizer,
    config: &ModelConfig,
    patient: &str,
    clinic: Option<&str>,
) -> Result<FeatureBag, ModelError> {
    let text = features::placeholders_to_words(patient);
    let encoding = tokenizer
        .encode(text.as_str(), false)
        .map_err(|e| ModelError::Tokenizer(e.to_string()))?;
    let mut patient_rows: Vec<u32> = encoding
        .get_ids()
        .iter()
        .take(config.max_tokens)
        .copied()
        .filter(|id| *id < config.features.vocab_size)
        .collect();
    let words = features::words(&text);
    config.features.patient_hashed(&words, &mut patient_rows);
    let clinic_words = clinic.map(|c| features::words(&features::placeholders_to_words(c)));
    let mut context_rows = Vec::new();
    config
        .features
        .context_hashed(clinic_words.as_deref(), &mut context_rows);
    Ok(FeatureBag {
        patient: patient_rows,
        context: context_rows,
    })
}
