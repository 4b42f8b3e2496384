export { createSimulatorChatModel, type SimulatorOptions } from './create-simulator-chat-model.js';
export {
  createSimulatorEmbeddingModel,
  type SimulatorEmbeddingOptions,
} from './create-simulator-embedding-model.js';
export type { GuidelineCheck } from './guideline-check.js';
export { parseJudgeRequest } from './judge-request.js';
export { addressedShare, type JudgeVerdict, judgeVerdict } from './judge-verdict.js';
export type { KnowledgeEntry } from './knowledge-match.js';
export type { MalformedInjection } from './malformed-reply.js';
export type { Sleep } from './real-sleep.js';
export {
  type SimulatorModel,
  type SimulatorProfile,
  simulatorModels,
  simulatorProfiles,
} from './simulator-profiles.js';
export { splitRequests } from './split-requests.js';
