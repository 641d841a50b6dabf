//! The intent model: a bag of word-piece and hashed features, mean-pooled separately for the
//! patient's message, the intent-cue concepts it names and the clinic's previous turn, then a
//! small MLP to the 28 intents.
//!
//! Why this shape and not a transformer: a typical SMS must be triaged in well under 100 us
//! natively and the Worker's model must build in under 50 ms and ship in about a megabyte.
//! Character n-grams carry typo robustness and Spanish morphology; the context bag carries the
//! meaning of replies like "C" or "2". The same [`Network`] forward serves training (batched) and
//! inference, so what the trainer measured is what ships.

pub mod cues;
pub mod features;
pub mod stored;
pub mod wordpiece;

use crate::intent::Intent;
use candle_core::{DType, Tensor};
use cues::Cues;
use features::{FeatureBag, FeatureSpace};
use serde::{Deserialize, Serialize};
use stored::Rows;
use wordpiece::WordPiece;

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
    /// Output labels in order; must be the contract's intents. The output layer has two more
    /// columns than labels: the logits of "an automatic reply would (not, be) acceptable".
    pub labels: Vec<Intent>,
    /// Word-piece tokens beyond this are ignored (an SMS is at most 1,600 characters).
    pub max_tokens: usize,
}

/// The format this build of the crate reads (2: the output layer carries the `auto_ok` logits;
/// 3: intent-cue concepts and Chinese and Korean character uni- and bigrams are features;
/// 4: the concepts are pooled on their own, so the hidden layer reads three bags).
pub const FORMAT: u32 = 4;

/// How many mean-pooled bags feed the hidden layer: the patient's message, its concepts and the
/// clinic's previous turn.
pub const BAGS: usize = 3;

/// What the model reads in one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Probabilities over [`ModelConfig::labels`], in that order.
    pub intents: Vec<f32>,
    /// Probability that an automatic reply, unread by staff, would be acceptable. Learnt from
    /// the fixtures' `auto_ok` labels, which encode what intent alone cannot: a second request
    /// in the same message, a question beyond the FAQ, a hint of a problem.
    pub auto_ok: f32,
}

/// Why the model could not be built or run.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("config.json is not valid: {0}")]
    Config(String),
    #[error("config.json has format {found}, this build reads format {FORMAT}: retrain with `make train`")]
    Format { found: u32 },
    #[error("tokenizer.json is not valid: {0}")]
    Tokenizer(String),
    #[error(transparent)]
    Cues(#[from] cues::CueError),
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
    /// Mean-pools each bag's rows: `(batch, BAGS * dim)`, patient, concepts, then context.
    pub fn pool(&self, bags: &[&FeatureBag]) -> candle_core::Result<Tensor> {
        let patient = self.pool_side(bags.iter().map(|b| b.patient.as_slice()))?;
        let concepts = self.pool_side(bags.iter().map(|b| b.concepts.as_slice()))?;
        let context = self.pool_side(bags.iter().map(|b| b.context.as_slice()))?;
        Tensor::cat(&[&patient, &concepts, &context], 1)
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

    /// Logits `(batch, labels + 2)` from pooled features; the last two columns are the `auto_ok`
    /// head's (no, yes).
    pub fn logits(&self, pooled: &Tensor) -> candle_core::Result<Tensor> {
        let hidden = pooled.matmul(&self.w1)?.broadcast_add(&self.b1)?.relu()?;
        hidden.matmul(&self.w2)?.broadcast_add(&self.b2)
    }
}

/// The network's weights as plain row-major arrays, for the per-message forward pass.
///
/// Candle trains the network and loads its safetensors, and [`Network`] is the batched forward
/// the trainer optimises. For one message at a time, though, candle's CPU backend costs more in
/// bookkeeping than the arithmetic itself: its matmul and softmax hand even a 1x64 by 64x128
/// product to a rayon pool, and its reductions walk strided layouts element by element (about
/// 200 us per message measured, against 2 us for these loops). So inference reads the same
/// weights through the loops below; a test holds the two forwards equal.
#[derive(Debug, Clone)]
struct Dense {
    dim: usize,
    hidden: usize,
    labels: usize,
    embeddings: Rows,
    w1: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: Vec<f32>,
}

impl Dense {
    /// Reads the weights straight from the safetensors bytes, checking every tensor's shape
    /// against `config.json`.
    fn from_safetensors(weights: &[u8], config: &ModelConfig) -> Result<Self, ModelError> {
        use safetensors::SafeTensors;
        let file =
            SafeTensors::deserialize(weights).map_err(|e| ModelError::Weights(e.to_string()))?;
        let view = |name: &'static str, expected: Vec<usize>| {
            let t = file
                .tensor(name)
                .map_err(|_| ModelError::Weights(format!("tensor {name} is missing")))?;
            if t.shape() != expected.as_slice() {
                return Err(ModelError::Shape {
                    name,
                    found: t.shape().to_vec(),
                    expected,
                });
            }
            Ok(t)
        };
        let values = |name: &'static str, expected: Vec<usize>| -> Result<Rows, ModelError> {
            let t = view(name, expected)?;
            stored::rows(t.dtype(), t.data(), name)
        };
        // The small layers are used whole for every message: widen them once.
        let widened = |name: &'static str, expected: Vec<usize>| -> Result<Vec<f32>, ModelError> {
            Ok(match values(name, expected)? {
                Rows::F32(v) => v,
                Rows::F16(v) => v.iter().map(|x| x.to_f32()).collect(),
                Rows::I8 { .. } => {
                    return Err(ModelError::Weights(format!(
                        "tensor {name} is I8; only the embeddings are stored as int8"
                    )))
                }
            })
        };
        let labels = config.labels.len();
        Ok(Self {
            dim: config.dim,
            hidden: config.hidden,
            labels: labels + 2,
            embeddings: match values(
                tensor_names::EMBEDDINGS,
                vec![config.features.rows(), config.dim],
            )? {
                // An int8 table needs its row scales, stored beside it.
                Rows::I8 { values, .. } => {
                    let scales = widened(stored::EMBEDDING_SCALES, vec![config.features.rows()])?;
                    // A non-finite scale would make NaN logits, which every threshold
                    // comparison lets through.
                    if scales.iter().any(|s| !s.is_finite()) {
                        return Err(ModelError::Weights(format!(
                            "tensor {} holds a value that is not finite: retrain with `make train`",
                            stored::EMBEDDING_SCALES
                        )));
                    }
                    Rows::I8 { values, scales }
                }
                rows => rows,
            },
            w1: widened(tensor_names::W1, vec![BAGS * config.dim, config.hidden])?,
            b1: widened(tensor_names::B1, vec![config.hidden])?,
            w2: widened(tensor_names::W2, vec![config.hidden, labels + 2])?,
            b2: widened(tensor_names::B2, vec![labels + 2])?,
        })
    }

    /// Mean of the bag's embedding rows into `out` (rows out of range are skipped; the feature
    /// extraction never produces them, and a corrupt index must not panic).
    fn mean_into(&self, rows: &[u32], out: &mut [f32]) {
        let mut n = 0usize;
        let mut scratch = vec![0f32; self.dim];
        for &r in rows {
            if self
                .embeddings
                .add_row(r as usize, self.dim, out, &mut scratch)
            {
                n += 1;
            }
        }
        if n > 0 {
            let inv = 1.0 / n as f32;
            out.iter_mut().for_each(|o| *o *= inv);
        }
    }

    fn logits(&self, bag: &FeatureBag) -> Vec<f32> {
        let mut pooled = vec![0f32; BAGS * self.dim];
        let (patient, rest) = pooled.split_at_mut(self.dim);
        let (concepts, context) = rest.split_at_mut(self.dim);
        self.mean_into(&bag.patient, patient);
        self.mean_into(&bag.concepts, concepts);
        self.mean_into(&bag.context, context);
        let mut hidden = self.b1.clone();
        for (x, row) in pooled.iter().zip(self.w1.chunks_exact(self.hidden)) {
            for (h, w) in hidden.iter_mut().zip(row) {
                *h += x * w;
            }
        }
        hidden.iter_mut().for_each(|h| *h = h.max(0.0));
        let mut logits = self.b2.clone();
        for (x, row) in hidden.iter().zip(self.w2.chunks_exact(self.labels)) {
            for (l, w) in logits.iter_mut().zip(row) {
                *l += x * w;
            }
        }
        logits
    }
}

/// The trained intent model with its tokenizer.
pub struct IntentModel {
    config: ModelConfig,
    tokenizer: WordPiece,
    cues: Cues,
    dense: Dense,
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
        let dense = Dense::from_safetensors(weights, &config)?;
        Ok(Self {
            config,
            tokenizer,
            cues: Cues::bundled()?,
            dense,
        })
    }

    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// The feature bag of a redacted patient message and the redacted clinic turn before it.
    pub fn features(&self, patient: &str, clinic: Option<&str>) -> FeatureBag {
        bag(&self.tokenizer, &self.cues, &self.config, patient, clinic)
    }

    /// The intent-cue concepts a redacted message names ([`cues`]), for the policy.
    pub fn concepts(&self, redacted_patient: &str) -> Vec<&'static str> {
        let words = features::words(&features::placeholders_to_words(redacted_patient));
        self.cues.concepts(&words)
    }

    /// The concepts a redacted message names with its slips read as cue words
    /// ([`Cues::concepts_through_slips`]), for the policy's topic check.
    pub fn concepts_through_slips(&self, redacted_patient: &str) -> Vec<&'static str> {
        let words = features::words(&features::placeholders_to_words(redacted_patient));
        self.cues
            .concepts_through_slips(words, &|w| self.tokenizer.token_to_id(w).is_some())
    }

    /// The intent probabilities and the `auto_ok` probability of one message.
    pub fn read(&self, bag: &FeatureBag) -> Reading {
        let logits = self.dense.logits(bag);
        let labels = self.config.labels.len();
        let (no, yes) = match (logits.get(labels), logits.get(labels + 1)) {
            (Some(no), Some(yes)) => (*no, *yes),
            // Unreachable with validated shapes; if it happened, claim nothing is standard.
            _ => (0.0, f32::NEG_INFINITY),
        };
        // A two-way softmax is the logistic function of the logits' difference.
        Reading {
            intents: softmax(&logits[..labels.min(logits.len())]),
            auto_ok: sigmoid(yes - no),
        }
    }

    pub fn labels(&self) -> &[Intent] {
        &self.config.labels
    }

    /// Whether the model reads the message blind: it has a word of four letters or more, and
    /// none of its words is one the tokenizer learnt whole from the training data. Keyboard
    /// mashes ("asdfghjkl"), scripts and languages the model never saw, or a placeholder for
    /// an attachment still get a confident-looking intent from character n-grams; a template
    /// must not answer them.
    ///
    /// A short reply whose words are each one slip from a word the model learnt ("cofirm", "yup
    /// confrim") is read: typos are how patients answer a reminder. One slip is a letter added
    /// or dropped inside the word, or two neighbours swapped; a changed letter or a different
    /// first or last letter is as often another word. Longer messages are read blind as before:
    /// a sentence of another language has some word one slip from an English one.
    pub fn reads_blind(&self, redacted_patient: &str) -> bool {
        const SHORT_REPLY: usize = 3;
        let words = features::words(&features::placeholders_to_words(redacted_patient));
        let alphabetic: Vec<&String> = words
            .iter()
            .filter(|w| w.chars().all(char::is_alphabetic) && w.chars().count() >= 2)
            .collect();
        let long = alphabetic.iter().any(|w| w.chars().count() >= 4);
        if !long
            || alphabetic
                .iter()
                .any(|w| self.tokenizer.token_to_id(w).is_some())
        {
            return false;
        }
        let slips = alphabetic.len() <= SHORT_REPLY
            && alphabetic
                .iter()
                .filter(|w| w.chars().count() >= 4)
                .all(|w| self.tokenizer.word_tokens().any(|known| one_slip(w, known)));
        !slips
    }
}

/// Whether `a` is one slip of the keyboard from `b`, both ASCII letters of four or more: a letter
/// added or dropped inside the word, or two neighbouring letters swapped, with the first and
/// last letters kept.
pub(crate) fn one_slip(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b || a.len().min(b.len()) < 4 || !a.iter().chain(b).all(u8::is_ascii_lowercase) {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let head = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if head == 0 || head + 1 >= long.len() {
        return false;
    }
    if short.len() == long.len() {
        let i = head;
        i + 2 < short.len()
            && short[i] == long[i + 1]
            && short[i + 1] == long[i]
            && short[i + 2..] == long[i + 2..]
    } else {
        short[head..] == long[head + 1..]
    }
}

/// The logistic function.
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// A numerically stable softmax.
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|l| (l - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// Reads the model's tokenizer.json.
pub fn load_tokenizer(tokenizer_json: &[u8]) -> Result<WordPiece, ModelError> {
    WordPiece::from_tokenizer_json(tokenizer_json).map_err(|e| ModelError::Tokenizer(e.to_string()))
}

/// Feature extraction shared by the trainer and [`IntentModel::features`].
pub fn bag(
    tokenizer: &WordPiece,
    cues: &Cues,
    config: &ModelConfig,
    patient: &str,
    clinic: Option<&str>,
) -> FeatureBag {
    let text = features::placeholders_to_words(patient);
    let mut patient_rows: Vec<u32> = tokenizer.encode(&text);
    patient_rows.truncate(config.max_tokens);
    patient_rows.retain(|id| *id < config.features.vocab_size);
    let words = features::words(&text);
    config.features.patient_hashed(&words, &mut patient_rows);
    let mut concept_rows = Vec::new();
    config
        .features
        .concepts_hashed(&cues.concepts(&words), &mut concept_rows);
    let clinic_words = clinic.map(|c| features::words(&features::placeholders_to_words(c)));
    let mut context_rows = Vec::new();
    config
        .features
        .context_hashed(clinic_words.as_deref(), &mut context_rows);
    FeatureBag {
        patient: patient_rows,
        concepts: concept_rows,
        context: context_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    #[test]
    fn one_slip_is_a_letter_added_dropped_or_swapped_inside_the_word() {
        for (typed, meant) in [
            ("cofirm", "confirm"),
            ("confrim", "confirm"),
            ("thnaks", "thanks"),
        ] {
            assert!(one_slip(typed, meant), "{typed}");
        }
        for (typed, other) in [
            ("later", "laser"),
            ("infection", "injection"),
            ("signs", "sign"),
            ("hear", "heart"),
            ("confirm", "confirm"),
            ("cnofrim", "confirm"),
            ("bota", "botox"),
        ] {
            assert!(!one_slip(typed, other), "{typed}");
        }
    }

    fn ramp(n: usize, scale: f32) -> Vec<f32> {
        (0..n)
            .map(|i| ((i * 37 % 101) as f32 / 101.0 - 0.5) * scale)
            .collect()
    }

    fn network(device: &Device) -> candle_core::Result<Network> {
        Ok(Network {
            embeddings: Tensor::from_vec(ramp(20 * 4, 1.0), (20, 4), device)?,
            w1: Tensor::from_vec(ramp(12 * 6, 0.7), (12, 6), device)?,
            b1: Tensor::from_vec(ramp(6, 0.2), 6, device)?,
            w2: Tensor::from_vec(ramp(6 * 3, 0.9), (6, 3), device)?,
            b2: Tensor::from_vec(ramp(3, 0.1), 3, device)?,
        })
    }

    /// A config whose shapes fit [`network`]: 20 rows of 4, 6 hidden units, one label + 2.
    fn config() -> ModelConfig {
        ModelConfig {
            format: FORMAT,
            features: FeatureSpace {
                vocab_size: 4,
                buckets: 16,
                char_ngram_min: 3,
                char_ngram_max: 5,
            },
            dim: 4,
            hidden: 6,
            labels: vec![Intent::Other],
            max_tokens: 16,
        }
    }

    /// The bytes the trainer would write: the embeddings in `embeddings_dtype`, the rest f32.
    fn stored(network: &Network, embeddings_dtype: DType) -> Vec<u8> {
        let cast = network.embeddings.to_dtype(embeddings_dtype);
        let Ok(embeddings) = cast else {
            panic!("cast to {embeddings_dtype:?} failed");
        };
        let tensors = [
            (tensor_names::EMBEDDINGS, embeddings),
            (tensor_names::W1, network.w1.clone()),
            (tensor_names::B1, network.b1.clone()),
            (tensor_names::W2, network.w2.clone()),
            (tensor_names::B2, network.b2.clone()),
        ];
        match safetensors::serialize(tensors, None) {
            Ok(bytes) => bytes,
            Err(e) => panic!("serialising the test network failed: {e}"),
        }
    }

    /// A bag with a repeated row in each of its three parts.
    fn test_bag() -> FeatureBag {
        FeatureBag {
            patient: vec![1, 5, 5, 19],
            concepts: vec![11, 3],
            context: vec![0, 7],
        }
    }

    /// The per-message path, reading the stored bytes (f32, f16 or the trainer's int8
    /// embeddings), must agree with the batched candle path the trainer optimises, on the
    /// weights as stored.
    #[test]
    fn single_bag_forward_equals_batched_forward() -> Result<(), ModelError> {
        let device = Device::Cpu;
        let network = network(&device)?;
        let bag = test_bag();
        let encodings = [
            ("f32", stored(&network, DType::F32)),
            ("f16", stored(&network, DType::F16)),
            ("int8", stored::encode(&network)?),
        ];
        for (name, bytes) in encodings {
            let dense = Dense::from_safetensors(&bytes, &config())?;
            let one = dense.logits(&bag);
            let table = dense.embeddings.widened(20, 4);
            let as_stored = Network {
                embeddings: Tensor::from_vec(table, (20, 4), &device)?,
                ..network.clone()
            };
            let batched = as_stored
                .logits(&as_stored.pool(&[&bag])?)?
                .squeeze(0)?
                .to_vec1::<f32>()?;
            assert_eq!(one.len(), batched.len());
            for (a, b) in one.iter().zip(&batched) {
                assert!((a - b).abs() < 1e-5, "{name}: {one:?} vs {batched:?}");
            }
        }
        Ok(())
    }

    /// The int8 table is the trained one to within its rounding: the logits move by less than
    /// a step's worth.
    #[test]
    fn int8_weights_stay_close_to_the_trained_ones() -> Result<(), ModelError> {
        let device = Device::Cpu;
        let network = network(&device)?;
        let bag = test_bag();
        let trained = Dense::from_safetensors(&stored(&network, DType::F32), &config())?;
        let int8 = Dense::from_safetensors(&stored::encode(&network)?, &config())?;
        for (a, b) in trained.logits(&bag).iter().zip(int8.logits(&bag)) {
            assert!((a - b).abs() < 0.02, "{a} vs {b}");
        }
        Ok(())
    }

    #[test]
    fn int8_embeddings_without_their_scales_are_refused() -> Result<(), ModelError> {
        let device = Device::Cpu;
        let network = network(&device)?;
        let bytes = stored::encode(&network)?;
        let Ok(file) = safetensors::SafeTensors::deserialize(&bytes) else {
            panic!("the encoded test network must parse");
        };
        let without: Vec<_> = file
            .tensors()
            .into_iter()
            .filter(|(name, _)| name != stored::EMBEDDING_SCALES)
            .collect();
        let Ok(bytes) = safetensors::serialize(without, None) else {
            panic!("re-serialising the test network failed");
        };
        assert!(matches!(
            Dense::from_safetensors(&bytes, &config()),
            Err(ModelError::Weights(m)) if m.contains(stored::EMBEDDING_SCALES)
        ));
        Ok(())
    }

    #[test]
    fn weights_that_do_not_fit_the_config_are_refused() {
        let device = Device::Cpu;
        let Ok(network) = network(&device) else {
            panic!("test network");
        };
        let bytes = stored(&network, DType::F16);
        let mut wider = config();
        wider.hidden = 7;
        assert!(matches!(
            Dense::from_safetensors(&bytes, &wider),
            Err(ModelError::Shape {
                name: "hidden.weight",
                ..
            })
        ));
        assert!(matches!(
            Dense::from_safetensors(&bytes[..bytes.len() / 2], &config()),
            Err(ModelError::Weights(_))
        ));
        let bf16 = stored(&network, DType::BF16);
        assert!(matches!(
            Dense::from_safetensors(&bf16, &config()),
            Err(ModelError::Weights(m)) if m.contains("BF16")
        ));
    }
}
