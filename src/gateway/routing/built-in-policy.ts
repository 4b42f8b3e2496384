import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PolicyConfig } from '../../config/parse-gateway-config.js';
import { ConfigError } from '../../core/errors.js';
import { createStageJudge, loadCascadeFile } from '../../optimize/cascade/trained-cascade.js';
import { createPromptRouter, type PromptRoute, routeByTiers } from '../../optimize/routing/route-prompt.js';
import { readRouter } from '../../optimize/routing/router-file.js';
import { localEmbedderFor } from '../../optimize/semantic-cache/local-hash-embedder.js';
import type { RoutingPolicy } from './routing-policy.js';

/** The text of the last user turn of a chat or messages body (string content, or its text parts joined). */
export function lastUserText(body: Readonly<Record<string, unknown>>): string {
  const messages = body['messages'];
  if (!Array.isArray(messages)) return '';
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as { role?: unknown; content?: unknown } | null;
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (!Array.isArray(message.content)) return '';
    return message.content
      .map((part: { type?: unknown; text?: unknown }) =>
        part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
      )
      .filter((text) => text !== '')
      .join('\n');
  }
  return '';
}

/**
 * A `gateway.policies` entry as a RoutingPolicy: requests for its alias (`frugal/auto` by default) are sent to
 * the model the learned router or the tier table picks for the last user turn; other requests pass untouched.
 * A learned router is read once at start, with the local embedder it was trained with; its two models must be
 * served by this gateway.
 */
export function createBuiltInPolicy(config: PolicyConfig, served: ReadonlySet<string>): RoutingPolicy {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(config.origin.file, `${config.origin.path}.${field}`, problem);
  };
  if (config.kind === 'cascade') return createCascadePolicy(config, served);
  let route: (prompt: string) => PromptRoute | Promise<PromptRoute>;
  if (config.kind === 'tiers') {
    route = (prompt) => routeByTiers(config.tiers, prompt);
  } else {
    const path = resolve(dirname(config.origin.file), config.router);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      return fail('learned', `cannot read the router file ${path}: ${(error as Error).message}`);
    }
    const router = readRouter(text, path);
    for (const model of [router.strong, router.weak]) {
      if (served.size > 0 && !served.has(model)) {
        fail('learned', `the router sends prompts to '${model}', which is not a model_name of this gateway`);
      }
    }
    const embedder =
      localEmbedderFor(router.embedder) ??
      fail(
        'learned',
        `the router was trained with embedder '${router.embedder}'; the gateway serves local/hash-v1-N routers`,
      );
    route = createPromptRouter(router, embedder);
  }
  return {
    async route(request) {
      if (request.model !== config.alias || request.route === 'embeddings') return undefined;
      const decision = await route(lastUserText(request.body));
      return { model: decision.model, reason: decision.reason };
    },
  };
}

/**
 * A `gateway.policies` cascade: requests for its alias go through the trained cascade's stages, each a
 * model_name of this gateway (`models`, or the file's stage names), scored with the embedder it was trained with.
 */
function createCascadePolicy(
  config: Extract<PolicyConfig, { kind: 'cascade' }>,
  served: ReadonlySet<string>,
): RoutingPolicy {
  const fail = (problem: string): never => {
    throw new ConfigError(config.origin.file, `${config.origin.path}.cascade`, problem);
  };
  const { cascade } = loadCascadeFile(config.cascade, config.origin.file);
  const stages = config.models ?? cascade.stages;
  if (stages.length !== cascade.stages.length) {
    throw new ConfigError(
      config.origin.file,
      `${config.origin.path}.models`,
      `expected ${cascade.stages.length} model_names, one per stage (${cascade.stages.join(' → ')}); found ${stages.length}`,
    );
  }
  for (const model of stages) {
    if (served.size > 0 && !served.has(model)) {
      fail(
        `the cascade asks '${model}', which is not a model_name of this gateway (name the stages with models:)`,
      );
    }
  }
  const embedder =
    localEmbedderFor(cascade.embedder) ??
    fail(
      `the cascade was trained with embedder '${cascade.embedder}'; the gateway serves local/hash-v1-N cascades`,
    );
  const judge = createStageJudge(cascade, embedder);
  const reason = `cascade ${stages.join(' → ')} (${cascade.seesAnswers ? 'k-NN over prompt and answer' : 'k-NN over the prompt'})`;
  return {
    route(request) {
      if (request.model !== config.alias || request.route === 'embeddings') return undefined;
      const prompt = lastUserText(request.body).trim();
      return {
        model: stages[0]!,
        reason,
        cascade: { stages, reason, judge: (stage, answer, signal) => judge(stage, prompt, answer, signal) },
      };
    },
  };
}
