import { createRandom } from '../../core/random.js';

/** A linear model over standardised features: p = σ(w·z + b), z = (x − mean) / scale. */
export type LogisticModel = {
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  readonly weights: readonly number[];
  readonly bias: number;
};

export type LogisticOptions = {
  /** L2 penalty on the weights (default 1e-3). */
  readonly l2?: number | undefined;
  /** Passes over the data (default 60). */
  readonly epochs?: number | undefined;
  /** Mini-batch size (default 256). */
  readonly batchSize?: number | undefined;
  /** Adam's step size (default 0.01). */
  readonly learningRate?: number | undefined;
  /** Seeds the order of the mini-batches (default 1): the same data and seed give the same model. */
  readonly seed?: number | undefined;
};

/**
 * Logistic regression by mini-batch Adam on the mean log-loss plus an L2 penalty. `targets` are in [0, 1]
 * (0/1 labels, or soft labels), `weights` per row optional. Features are standardised with the training
 * rows' mean and standard deviation; the model keeps both so it scores raw features.
 */
export function trainLogistic(
  rows: readonly ArrayLike<number>[],
  targets: ArrayLike<number>,
  options: LogisticOptions = {},
): LogisticModel {
  const n = rows.length;
  if (n === 0) throw new RangeError('no rows to train on');
  const d = rows[0]!.length;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j]! += row[j]! / n;
  for (const row of rows) for (let j = 0; j < d; j++) scale[j]! += (row[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]!) || 1;
  const z = rows.map((row) => Float64Array.from({ length: d }, (_, j) => (row[j]! - mean[j]!) / scale[j]!));

  const l2 = options.l2 ?? 1e-3;
  const epochs = options.epochs ?? 60;
  const batchSize = options.batchSize ?? 256;
  const rate = options.learningRate ?? 0.01;
  const random = createRandom(options.seed ?? 1);
  const w = new Float64Array(d + 1); // the last entry is the bias
  const m = new Float64Array(d + 1);
  const v = new Float64Array(d + 1);
  const gradient = new Float64Array(d + 1);
  const order = Array.from({ length: n }, (_, index) => index);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      gradient.fill(0);
      for (let k = start; k < end; k++) {
        const row = z[order[k]!]!;
        let logit = w[d]!;
        for (let j = 0; j < d; j++) logit += w[j]! * row[j]!;
        const error = sigmoid(logit) - targets[order[k]!]!;
        for (let j = 0; j < d; j++) gradient[j]! += error * row[j]!;
        gradient[d]! += error;
      }
      const size = end - start;
      step += 1;
      for (let j = 0; j <= d; j++) {
        const g = gradient[j]! / size + (j < d ? l2 * w[j]! : 0);
        m[j] = 0.9 * m[j]! + 0.1 * g;
        v[j] = 0.999 * v[j]! + 0.001 * g * g;
        const mHat = m[j]! / (1 - 0.9 ** step);
        const vHat = v[j]! / (1 - 0.999 ** step);
        w[j]! -= (rate * mHat) / (Math.sqrt(vHat) + 1e-8);
      }
    }
  }
  return { mean: [...mean], scale: [...scale], weights: [...w.subarray(0, d)], bias: w[d]! };
}

/** The model's probability for one row of raw features. */
export function predictLogistic(model: LogisticModel, row: ArrayLike<number>): number {
  let logit = model.bias;
  for (let j = 0; j < model.weights.length; j++) {
    logit += (model.weights[j]! * (row[j]! - model.mean[j]!)) / model.scale[j]!;
  }
  return sigmoid(logit);
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
