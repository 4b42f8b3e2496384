import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Span } from '../core/spans/span.js';
import { createTracer } from './create-tracer.js';
import { currentTracer, setDefaultTracer, trace, withAttributes } from './default-tracer.js';
import { createMemorySink } from './memory-sink.js';

function tracedProcess() {
  const sink = createMemorySink();
  const tracer = createTracer({ sink });
  setDefaultTracer(tracer);
  const byName = (name: string): Span => {
    const span = sink.spans.find((candidate) => candidate.name === name);
    if (!span) throw new Error(`no span named '${name}' among ${sink.spans.map((s) => s.name).join(', ')}`);
    return span;
  };
  const call = (name: string) =>
    currentTracer()
      ?.startLlmSpan({ name, operation: 'chat', provider: 'acme', requestModel: 'acme-1' })
      .end({});
  return { sink, tracer, byName, call };
}

afterEach(() => setDefaultTracer(undefined));

describe('trace() and withAttributes() through async code', () => {
  it('keeps parents across awaits, timers, and nested scopes', async () => {
    const { byName, call } = tracedProcess();
    await trace('root', async () => {
      await sleep(1);
      call('after-await');
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          call('in-timer');
          resolve();
        }, 1),
      );
      await trace('child', async () => {
        await Promise.resolve();
        call('in-child');
      });
      call('after-child');
    });
    const root = byName('root');
    const child = byName('child');
    expect(root.parentId).toBeUndefined();
    expect(byName('after-await').parentId).toBe(root.id);
    expect(byName('in-timer').parentId).toBe(root.id);
    expect(child.parentId).toBe(root.id);
    expect(byName('in-child').parentId).toBe(child.id);
    expect(byName('after-child').parentId).toBe(root.id);
    expect(new Set([root, child, byName('in-timer')].map((span) => span.traceId)).size).toBe(1);
  });

  it('gives spans of concurrent Promise.all branches their own branch as parent', async () => {
    const { byName, call } = tracedProcess();
    await trace('fan-out', () =>
      Promise.all(
        [3, 1, 2].map((delay, branch) =>
          trace(`branch-${branch}`, async () => {
            await sleep(delay);
            call(`call-${branch}-a`);
            await sleep(3 - delay);
            call(`call-${branch}-b`);
          }),
        ),
      ),
    );
    const root = byName('fan-out');
    for (const branch of [0, 1, 2]) {
      const span = byName(`branch-${branch}`);
      expect(span.parentId).toBe(root.id);
      expect(byName(`call-${branch}-a`).parentId).toBe(span.id);
      expect(byName(`call-${branch}-b`).parentId).toBe(span.id);
    }
  });

  it('starts a new trace per top-level trace() call, also when they run concurrently', async () => {
    const { byName, call } = tracedProcess();
    await Promise.all([
      trace('request-1', async () => {
        await sleep(2);
        call('call-1');
      }),
      trace('request-2', async () => {
        await sleep(1);
        call('call-2');
      }),
    ]);
    expect(byName('request-1').traceId).not.toBe(byName('request-2').traceId);
    expect(byName('call-1').traceId).toBe(byName('request-1').traceId);
    expect(byName('call-2').traceId).toBe(byName('request-2').traceId);
  });

  it('merges attribution of nested withAttributes scopes per branch, and forgets it outside', async () => {
    const { byName, call } = tracedProcess();
    await withAttributes({ feature: 'chat', tags: ['prod'] }, () =>
      Promise.all([
        withAttributes({ user: 'alice', tags: ['vip', 'prod'] }, async () => {
          await sleep(2);
          call('alice');
        }),
        withAttributes({ user: 'bob', feature: 'search' }, async () => {
          await sleep(1);
          await withAttributes({ runId: 'run-7', tags: ['eval'] }, async () => call('bob'));
        }),
      ]),
    );
    call('outside');
    expect(byName('alice').attribution).toEqual({ feature: 'chat', user: 'alice', tags: ['prod', 'vip'] });
    expect(byName('bob').attribution).toEqual({
      feature: 'search',
      user: 'bob',
      runId: 'run-7',
      tags: ['prod', 'eval'],
    });
    expect(byName('outside').attribution).toEqual({});
  });

  it('uses the tracer carried by the context over the process default', async () => {
    const { sink: defaultSink } = tracedProcess();
    const ownSink = createMemorySink();
    const own = createTracer({ sink: ownSink });
    await own.trace('own-root', () => trace('nested', () => undefined));
    await trace('default-root', () => undefined);
    expect(ownSink.spans.map((span) => span.name)).toEqual(['nested', 'own-root']);
    expect(defaultSink.spans.map((span) => span.name)).toEqual(['default-root']);
  });

  it('still runs the function, and propagates its result and errors, when no tracer is set', async () => {
    expect(currentTracer()).toBeUndefined();
    await expect(trace('untraced', async () => 'value')).resolves.toBe('value');
    await expect(
      trace('untraced', () => {
        throw new RangeError('nope');
      }),
    ).rejects.toThrow(RangeError);
  });
});
