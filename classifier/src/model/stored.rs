//! How the weights are stored in `model.safetensors`, written by the trainer and read by the
//! triage: one owner for the layout, so the two cannot drift.
//!
//! The embedding table is nearly all of the model and most of what the Worker ships beyond its
//! code, and it compresses poorly (f16 weights gzip to 93% of their size). It is stored as one
//! signed byte per value with one f16 scale per row: a quarter of f32, half of f16. A message's
//! features are a mean over dozens of rows, so the rounding (half a step of the row's largest
//! value / 127) averages out; the unit tests hold the per-message forward over the stored bytes
//! equal to the batched forward over the same table widened, and the evals score the model as
//! stored. The small layers stay f32: they are a few percent of the file.

use super::{tensor_names, ModelError, Network};
use candle_core::DType;
use safetensors::tensor::TensorView;
use safetensors::Dtype;

/// Name of the per-row scales of an int8 embedding table.
pub const EMBEDDING_SCALES: &str = "embeddings.scale";

/// Rows of signed bytes with one scale each: `value = q * scale`.
pub struct Quantized {
    pub values: Vec<i8>,
    pub scales: Vec<half::f16>,
}

/// Quantizes a `rows x dim` table, row by row. The scale is rounded to f16 before the values
/// are divided by it, so `q * scale` is computed from exactly the scale that is stored.
pub fn quantize(table: &[f32], dim: usize) -> Quantized {
    let rows = table.len().checked_div(dim).unwrap_or(0);
    let mut values = Vec::with_capacity(rows * dim);
    let mut scales = Vec::with_capacity(rows);
    for row in table.chunks_exact(dim.max(1)) {
        let largest = row.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = half::f16::from_f32(largest / 127.0);
        let s = scale.to_f32();
        scales.push(scale);
        values.extend(row.iter().map(|x| {
            if s > 0.0 && s.is_finite() {
                (x / s).round().clamp(-127.0, 127.0) as i8
            } else {
                0
            }
        }));
    }
    Quantized { values, scales }
}

/// The bytes of `model.safetensors` for `network`: the embeddings as int8 rows with f16
/// scales, the dense layers as f32.
pub fn encode(network: &Network) -> Result<Vec<u8>, ModelError> {
    let shape = network.embeddings.dims().to_vec();
    let dim = shape.get(1).copied().unwrap_or(0);
    let table = network
        .embeddings
        .to_dtype(DType::F32)?
        .flatten_all()?
        .to_vec1::<f32>()?;
    let q = quantize(&table, dim);
    let values: Vec<u8> = q.values.iter().map(|v| v.to_le_bytes()[0]).collect();
    let scales: Vec<u8> = q.scales.iter().flat_map(|s| s.to_le_bytes()).collect();
    let dense = |t: &candle_core::Tensor| -> Result<(Vec<usize>, Vec<u8>), ModelError> {
        let v = t.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?;
        Ok((
            t.dims().to_vec(),
            v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        ))
    };
    let layers = [
        (tensor_names::W1, dense(&network.w1)?),
        (tensor_names::B1, dense(&network.b1)?),
        (tensor_names::W2, dense(&network.w2)?),
        (tensor_names::B2, dense(&network.b2)?),
    ];
    let mut tensors = vec![
        (
            tensor_names::EMBEDDINGS,
            view(Dtype::I8, shape.clone(), &values)?,
        ),
        (
            EMBEDDING_SCALES,
            view(
                Dtype::F16,
                vec![shape.first().copied().unwrap_or(0)],
                &scales,
            )?,
        ),
    ];
    for (name, (shape, data)) in &layers {
        tensors.push((name, view(Dtype::F32, shape.clone(), data)?));
    }
    safetensors::serialize(tensors, None).map_err(|e| ModelError::Weights(e.to_string()))
}

/// The embedding table as it is stored. Widening the whole table at build time cost most of
/// the model's start-up, while widening the few dozen rows a message reads costs about a
/// microsecond; f32 and f16 tables are read for tests and older artifacts.
#[derive(Debug, Clone)]
pub(super) enum Rows {
    F32(Vec<f32>),
    F16(Vec<half::f16>),
    I8 { values: Vec<i8>, scales: Vec<f32> },
}

impl Rows {
    /// Adds row `r` to `out`; false when there is no such row. `scratch` (as long as `out`)
    /// takes an f16 row widened in one slice call, which uses the CPU's conversion
    /// instructions where it has them instead of one call per value.
    pub(super) fn add_row(
        &self,
        r: usize,
        dim: usize,
        out: &mut [f32],
        scratch: &mut [f32],
    ) -> bool {
        use half::slice::HalfFloatSliceExt;
        let range = r * dim..(r + 1) * dim;
        match self {
            Rows::F32(v) => v.get(range).map(|row| add(out, row)).is_some(),
            Rows::F16(v) => v
                .get(range)
                .map(|row| {
                    row.convert_to_f32_slice(scratch);
                    add(out, scratch)
                })
                .is_some(),
            Rows::I8 { values, scales } => match (values.get(range), scales.get(r)) {
                (Some(row), Some(&s)) => {
                    out.iter_mut()
                        .zip(row)
                        .for_each(|(o, &q)| *o += f32::from(q) * s);
                    true
                }
                _ => false,
            },
        }
    }

    /// The whole table widened (tests compare the batched forward over it).
    #[cfg(test)]
    pub(super) fn widened(&self, rows: usize, dim: usize) -> Vec<f32> {
        let mut table = vec![0f32; rows * dim];
        let mut scratch = vec![0f32; dim];
        for (r, out) in table.chunks_exact_mut(dim).enumerate() {
            self.add_row(r, dim, out, &mut scratch);
        }
        table
    }
}

fn add(out: &mut [f32], row: &[f32]) {
    out.iter_mut().zip(row).for_each(|(o, x)| *o += x);
}

fn view(dtype: Dtype, shape: Vec<usize>, data: &[u8]) -> Result<TensorView<'_>, ModelError> {
    TensorView::new(dtype, shape, data).map_err(|e| ModelError::Weights(e.to_string()))
}

/// Reads a tensor's little-endian bytes as the table it stores.
pub(super) fn rows(dtype: Dtype, bytes: &[u8], name: &str) -> Result<Rows, ModelError> {
    match dtype {
        Dtype::F32 => Ok(Rows::F32(
            bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        )),
        Dtype::F16 => {
            // Filled in place as plain u16 bits, a loop the compiler turns into wide copies,
            // then reinterpreted: collecting `f16::from_le_bytes` value by value was a tenth of
            // the whole triage's build.
            use half::vec::HalfBitsVecExt;
            let mut bits = vec![0u16; bytes.len() / 2];
            for (d, b) in bits.iter_mut().zip(bytes.chunks_exact(2)) {
                *d = u16::from_le_bytes([b[0], b[1]]);
            }
            Ok(Rows::F16(bits.reinterpret_into()))
        }
        Dtype::I8 => Ok(Rows::I8 {
            values: bytes.iter().map(|b| i8::from_le_bytes([*b])).collect(),
            scales: Vec::new(),
        }),
        other => Err(ModelError::Weights(format!(
            "tensor {name} is {other:?}; this build reads F32, F16 or I8"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantized_rows_are_within_half_a_step_of_the_original() {
        let dim = 8;
        let table: Vec<f32> = (0..dim * 50)
            .map(|i| ((i * 7919 % 1013) as f32 / 1013.0 - 0.5) * (1.0 + (i / dim) as f32))
            .collect();
        let q = quantize(&table, dim);
        assert_eq!(q.values.len(), table.len());
        assert_eq!(q.scales.len(), 50);
        for (r, row) in table.chunks_exact(dim).enumerate() {
            let s = q.scales[r].to_f32();
            let largest = row.iter().fold(0f32, |m, x| m.max(x.abs()));
            assert!(s > 0.0 && (s * 127.0 - largest).abs() <= largest * 1e-3);
            for (c, x) in row.iter().enumerate() {
                let back = f32::from(q.values[r * dim + c]) * s;
                assert!((back - x).abs() <= s * 0.5 + 1e-6, "row {r}: {back} vs {x}");
            }
        }
    }

    #[test]
    fn an_all_zero_row_stays_zero() {
        let q = quantize(&[0.0; 4], 4);
        assert_eq!(q.values, vec![0; 4]);
        assert_eq!(q.scales[0].to_f32(), 0.0);
    }
}
