//! The training loop: AdamW over mini-batches, with typo noise and feature dropout so the model
//! leans on many weak signals rather than a few exact words.

use crate::augment::typos;
use crate::data::Example;
use crate::error::TrainError;
use crate::rng::Rng;
use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use classifier::model::cues::Cues;
use classifier::model::features::FeatureBag;
use classifier::model::wordpiece::WordPiece;
use classifier::model::{bag, ModelConfig, Network, BAGS};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Hyper {
    pub epochs: usize,
    pub batch: usize,
    pub lr: f64,
    pub final_lr: f64,
    pub weight_decay: f64,
    /// Share of a message's features dropped in each training step.
    pub feature_dropout: f32,
    /// Share of training messages whose own words are hidden in a step, leaving the concepts
    /// they name and the clinic's turn. Nine of the eleven languages have a few hundred
    /// conversations each: their words and n-grams are barely trained, and what carries over
    /// from English and Spanish is the concepts. A model that has learnt to decide from the
    /// concepts alone leans on them when the words tell it little.
    pub surface_dropout: f32,
    /// Chance that a training message gets typo noise in a given epoch.
    pub typo_prob: f32,
    /// Share of the intent target spread over all labels: keeps the model from becoming
    /// certain, so its confidence means something to the policy's thresholds.
    pub label_smoothing: f64,
    /// Weight of the `auto_ok` head's loss against the intent loss.
    pub auto_weight: f64,
    pub seed: u64,
}

struct Params {
    embeddings: Var,
    w1: Var,
    b1: Var,
    w2: Var,
    b2: Var,
}

impl Params {
    fn init(config: &ModelConfig, rng: &mut Rng, device: &Device) -> Result<Self, TrainError> {
        let labels = config.labels.len();
        let uniform =
            |rows: usize, cols: usize, limit: f32, rng: &mut Rng| -> Result<Var, TrainError> {
                let data: Vec<f32> = (0..rows * cols).map(|_| rng.symmetric(limit)).collect();
                Ok(Var::from_tensor(&Tensor::from_vec(
                    data,
                    (rows, cols),
                    device,
                )?)?)
            };
        let xavier = |fan_in: usize, fan_out: usize| (6.0 / (fan_in + fan_out) as f32).sqrt();
        Ok(Self {
            // fastText's initialisation: small, so the mean of many rows starts near zero.
            embeddings: uniform(
                config.features.rows(),
                config.dim,
                1.0 / config.dim as f32,
                rng,
            )?,
            w1: uniform(
                BAGS * config.dim,
                config.hidden,
                xavier(BAGS * config.dim, config.hidden),
                rng,
            )?,
            b1: Var::from_tensor(&Tensor::zeros(config.hidden, DType::F32, device)?)?,
            // One column per intent plus the two `auto_ok` logits (no, yes).
            w2: uniform(
                config.hidden,
                labels + 2,
                xavier(config.hidden, labels + 2),
                rng,
            )?,
            b2: Var::from_tensor(&Tensor::zeros(labels + 2, DType::F32, device)?)?,
        })
    }

    fn network(&self) -> Network {
        Network {
            embeddings: self.embeddings.as_tensor().clone(),
            w1: self.w1.as_tensor().clone(),
            b1: self.b1.as_tensor().clone(),
            w2: self.w2.as_tensor().clone(),
            b2: self.b2.as_tensor().clone(),
        }
    }

    fn vars(&self) -> Vec<Var> {
        vec![
            self.embeddings.clone(),
            self.w1.clone(),
            self.b1.clone(),
            self.w2.clone(),
            self.b2.clone(),
        ]
    }
}

/// Trains from scratch; the result depends only on the data, the config and `hyper.seed`.
pub fn train(
    train: &[Example],
    dev: &[Example],
    tokenizer: &WordPiece,
    config: &ModelConfig,
    hyper: &Hyper,
) -> Result<Network, TrainError> {
    let device = Device::Cpu;
    let mut rng = Rng::new(hyper.seed);
    let params = Params::init(config, &mut rng, &device)?;
    let mut opt = AdamW::new(
        params.vars(),
        ParamsAdamW {
            lr: hyper.lr,
            weight_decay: hyper.weight_decay,
            ..ParamsAdamW::default()
        },
    )?;
    let cues = Cues::bundled().map_err(classifier::model::ModelError::from)?;
    let clean: Vec<FeatureBag> = train
        .iter()
        .map(|e| bag(tokenizer, &cues, config, &e.patient, e.clinic.as_deref()))
        .collect();
    // Hiding the words of a message that names no concept would leave nothing to learn from:
    // the concept bag of such a message is the single "none" feature.
    let mut no_concept = Vec::new();
    config.features.concepts_hashed(&[], &mut no_concept);
    let dev_bags: Vec<FeatureBag> = dev
        .iter()
        .map(|e| bag(tokenizer, &cues, config, &e.patient, e.clinic.as_deref()))
        .collect();
    let mut order: Vec<usize> = (0..train.len()).collect();
    let steps_per_epoch = train.len().div_ceil(hyper.batch.max(1));
    let total_steps = (steps_per_epoch * hyper.epochs).max(1);
    let mut step = 0usize;
    for epoch in 0..hyper.epochs {
        rng.shuffle(&mut order);
        let mut epoch_loss = 0f32;
        for chunk in order.chunks(hyper.batch.max(1)) {
            let mut bags = Vec::with_capacity(chunk.len());
            for &i in chunk {
                let example = &train[i];
                let mut b = if rng.unit() < hyper.typo_prob {
                    let noisy = typos(&example.patient, &mut rng, 0.3);
                    bag(tokenizer, &cues, config, &noisy, example.clinic.as_deref())
                } else {
                    clean[i].clone()
                };
                // Decided on the bag as used: typo noise can take a message's only concept.
                if b.concepts != no_concept && rng.unit() < hyper.surface_dropout {
                    b.patient.clear();
                } else {
                    drop_features(&mut b.patient, hyper.feature_dropout, &mut rng);
                }
                drop_features(&mut b.concepts, hyper.feature_dropout, &mut rng);
                bags.push(b);
            }
            let refs: Vec<&FeatureBag> = bags.iter().collect();
            let targets: Vec<u32> = chunk.iter().map(|&i| train[i].label as u32).collect();
            let targets = Tensor::new(targets.as_slice(), &device)?;
            let auto_targets: Vec<u32> = chunk
                .iter()
                .map(|&i| u32::from(train[i].auto_ok > 0.5))
                .collect();
            let auto_targets = Tensor::new(auto_targets.as_slice(), &device)?;
            let network = params.network();
            let outputs = network.logits(&network.pool(&refs)?)?;
            let labels = config.labels.len();
            let logits = outputs.narrow(1, 0, labels)?;
            let auto_logits = outputs.narrow(1, labels, 2)?;
            let loss = (smoothed_cross_entropy(&logits, &targets, hyper.label_smoothing)?
                + (candle_nn::loss::cross_entropy(&auto_logits, &auto_targets)?
                    * hyper.auto_weight)?)?;
            epoch_loss += loss.to_scalar::<f32>()? * chunk.len() as f32;
            // Linear decay keeps late epochs from undoing what early ones learnt.
            let progress = step as f64 / total_steps as f64;
            opt.set_learning_rate(hyper.lr + (hyper.final_lr - hyper.lr) * progress);
            opt.backward_step(&loss)?;
            step += 1;
        }
        let network = params.network();
        let (accuracy, macro_f1) = score(&network, &dev_bags, dev, config.labels.len())?;
        eprintln!(
            "epoch {:>2}: train loss {:.4}  dev accuracy {:.4}  dev macro-F1 {:.4}",
            epoch + 1,
            epoch_loss / train.len().max(1) as f32,
            accuracy,
            macro_f1
        );
    }
    Ok(params.network())
}

/// Cross-entropy against targets smoothed by `epsilon`: (1 - e) * NLL + e * mean(-log p).
fn smoothed_cross_entropy(
    logits: &Tensor,
    targets: &Tensor,
    epsilon: f64,
) -> candle_core::Result<Tensor> {
    let log_probs = candle_nn::ops::log_softmax(logits, 1)?;
    let nll = candle_nn::loss::nll(&log_probs, targets)?;
    if epsilon <= 0.0 {
        return Ok(nll);
    }
    let uniform = log_probs.mean_all()?.neg()?;
    (nll * (1.0 - epsilon))? + (uniform * epsilon)?
}

/// Drops each feature with probability `p`, always keeping at least one.
fn drop_features(rows: &mut Vec<u32>, p: f32, rng: &mut Rng) {
    if rows.len() <= 1 || p <= 0.0 {
        return;
    }
    let kept: Vec<u32> = rows.iter().copied().filter(|_| rng.unit() >= p).collect();
    if !kept.is_empty() {
        *rows = kept;
    }
}

/// Predicted label per bag.
pub fn predict(network: &Network, bags: &[FeatureBag]) -> Result<Vec<usize>, TrainError> {
    let mut out = Vec::with_capacity(bags.len());
    for chunk in bags.chunks(256) {
        let refs: Vec<&FeatureBag> = chunk.iter().collect();
        let outputs = network.logits(&network.pool(&refs)?)?;
        let logits = outputs.narrow(1, 0, outputs.dim(1)? - 2)?;
        out.extend(
            logits
                .argmax(1)?
                .to_vec1::<u32>()?
                .into_iter()
                .map(|x| x as usize),
        );
    }
    Ok(out)
}

/// Accuracy and macro-F1 (over labels present in gold or predictions).
pub fn score(
    network: &Network,
    bags: &[FeatureBag],
    gold: &[Example],
    labels: usize,
) -> Result<(f32, f32), TrainError> {
    if gold.is_empty() {
        return Ok((0.0, 0.0));
    }
    let predicted = predict(network, bags)?;
    Ok(accuracy_and_macro_f1(
        &predicted,
        &gold.iter().map(|e| e.label).collect::<Vec<_>>(),
        labels,
    ))
}

pub fn accuracy_and_macro_f1(predicted: &[usize], gold: &[usize], labels: usize) -> (f32, f32) {
    let mut tp = vec![0f32; labels];
    let mut fp = vec![0f32; labels];
    let mut fnn = vec![0f32; labels];
    let mut correct = 0usize;
    for (&p, &g) in predicted.iter().zip(gold) {
        if p == g {
            tp[g] += 1.0;
            correct += 1;
        } else {
            fp[p] += 1.0;
            fnn[g] += 1.0;
        }
    }
    let mut f1_sum = 0f32;
    let mut present = 0usize;
    for l in 0..labels {
        if tp[l] + fp[l] + fnn[l] == 0.0 {
            continue;
        }
        present += 1;
        let denom = 2.0 * tp[l] + fp[l] + fnn[l];
        f1_sum += if denom > 0.0 {
            2.0 * tp[l] / denom
        } else {
            0.0
        };
    }
    (
        correct as f32 / gold.len().max(1) as f32,
        f1_sum / present.max(1) as f32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_f1_averages_over_present_labels() {
        // label 0: tp 1, fn 1 -> f1 2/3; label 1: tp 1, fp 1 -> f1 2/3; label 2 absent.
        let (acc, f1) = accuracy_and_macro_f1(&[0, 1, 1], &[0, 1, 0], 3);
        assert!((acc - 2.0 / 3.0).abs() < 1e-6);
        assert!((f1 - 2.0 / 3.0).abs() < 1e-6);
    }
}
