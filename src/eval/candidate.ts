import type { ChatModel, GenerateRequest } from '../providers/chat-model.js';

/** Sampling and output settings sent with every request of a candidate. */
export type CandidateParameters = Pick<
  GenerateRequest,
  'temperature' | 'topP' | 'maxOutputTokens' | 'seed' | 'stop' | 'responseFormat' | 'providerOptions'
>;

/** A model configuration under evaluation: a model, a system prompt, a prompt template and parameters. */
export type Candidate = {
  readonly name: string;
  readonly model: ChatModel;
  readonly systemPrompt?: string | undefined;
  /** The user message, `{input}` placeholders naming the row's inputs (default: see `renderPrompt`). */
  readonly prompt?: string | undefined;
  readonly parameters?: CandidateParameters | undefined;
  /** Call the model streaming (usage and cost are the same either way). */
  readonly stream?: boolean | undefined;
};

/** A user's own prediction function, MLflow's `predict_fn`: gets the row's inputs, returns the answer. */
export type PredictFunction = (inputs: Readonly<Record<string, unknown>>) => string | Promise<string>;
