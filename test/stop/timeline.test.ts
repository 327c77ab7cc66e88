import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildTimeline } from '../../src/analysis/stop/timeline.js';
import type { TraceEvent } from '../../src/analysis/stop/timeline.js';
import { fixture } from '../helpers/cli.js';

const T0 = Date.parse('2026-11-21T18:00:00.123Z');
const POD = { namespace: 'shop', name: 'web-7d9f8b6c5-x2kqp', uid: '6f1c2a9e-4b7d-4c1e-9a53-2d8e0f7b1c11' };

function recorded(name: string): TraceEvent[] {
  return readFileSync(fixture('stop', name), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);
}

describe('stop timeline from recorded events', () => {
  it('orders the stop of one replica of two and finds when the endpoint stopped being routable', () => {
    const t = buildTimeline({ pod: POD, events: recorded('trace-two-replicas.jsonl'), deletion: { sentAt: T0, answeredAt: T0 + 12 } });
    assert.equal(t.zeroAt, T0);
    assert.equal(t.routableBefore, true);
    // The other replica is ready, so ready=false on ours takes it out of kube-proxy's set at once.
    assert.equal(t.droppedAt, T0 + 31);
    assert.equal(t.goneAt, T0 + 3480);
    assert.equal(t.gracePeriodSeconds, 30);
    assert.deepEqual(
      t.entries.map((e) => [e.offsetMs, e.object.split('/')[0], e.what.split(':')[0]]),
      [
        [0, 'Pod', 'deletion requested (DELETE sent)'],
        [14, 'Pod', 'deletionTimestamp set'],
        [31, 'EndpointSlice', 'endpoint ready=false serving=true terminating=true (marked terminating)'],
        [31, 'Pod', 'endpoint no longer routable in any EndpointSlice'],
        [2051, 'Event', 'event Killing'],
        [3447, 'Pod', 'pod Ready=False (PodCompleted)'],
        [3447, 'Pod', 'container web terminated'],
        [3462, 'EndpointSlice', 'endpoint ready=false serving=false terminating=true (trigger time 2026-11-21T18'],
        [3480, 'Pod', 'pod gone from the API'],
        [3497, 'EndpointSlice', 'endpoint removed'],
      ],
    );
  });

  it('keeps the times the objects recorded beside the observed ones', () => {
    const t = buildTimeline({ pod: POD, events: recorded('trace-two-replicas.jsonl'), deletion: { sentAt: T0, answeredAt: T0 + 12 } });
    const del = t.entries.find((e) => e.what.startsWith('deletionTimestamp'))!;
    // deletionTimestamp 18:00:30Z minus the 30 s grace: the request second as the API server saw it.
    assert.equal(del.recordedAt, '2026-11-21T18:00:00.000Z');
    assert.equal(del.clock, 'observed');
    const term = t.entries.find((e) => e.what.startsWith('container web terminated'))!;
    assert.equal(term.what, 'container web terminated: exit 0 (Completed)');
    assert.equal(term.recordedAt, '2026-11-21T18:00:03.000Z');
    // A slice change is recorded by its managedFields time (whole seconds), not the trigger time.
    const slice = t.entries.find((e) => e.what.startsWith('endpoint ready=false serving=true'))!;
    assert.equal(slice.recordedAt, '2026-11-21T18:00:00.000Z');
  });

  it('counts a lone terminating endpoint as routable while it still serves (ProxyTerminatingEndpoints)', () => {
    const t = buildTimeline({ pod: POD, events: recorded('trace-one-replica.jsonl'), deletion: { sentAt: T0, answeredAt: T0 + 12 } });
    assert.equal(t.droppedAt, T0 + 3462);
  });

  it('starts at the deletionTimestamp update when someone else deleted the pod', () => {
    const t = buildTimeline({ pod: POD, events: recorded('trace-two-replicas.jsonl') });
    assert.equal(t.zeroAt, T0 + 14);
    assert.equal(t.entries[0]!.what.startsWith('deletionTimestamp set'), true);
    assert.equal(t.entries[0]!.offsetMs, 0);
    assert.equal(t.droppedAt, T0 + 31);
  });

  it('starts at the terminating endpoint when the slice watch beats the pod watch', () => {
    // Separate watches: the EndpointSlice update may arrive before the pod's deletionTimestamp.
    const events = recorded('trace-two-replicas.jsonl').map((e) => (e.resource === 'pod' && e.type === 'MODIFIED' && e.observedAt === T0 + 14 ? { ...e, observedAt: T0 + 40 } : e));
    const t = buildTimeline({ pod: POD, events });
    assert.equal(t.zeroAt, T0 + 31);
    assert.equal(t.routableBefore, true);
    assert.equal(t.droppedAt, T0 + 31);
    assert.deepEqual(t.entries.slice(0, 3).map((e) => [e.offsetMs, e.what.split(' (')[0]]), [
      [0, 'endpoint ready=false serving=true terminating=true'],
      [0, 'endpoint no longer routable in any EndpointSlice'],
      [9, 'deletionTimestamp set: 2026-11-21T18:00:30Z'],
    ]);
  });

  it('ignores a new pod of the same name (another uid)', () => {
    // Another pod object (uid) of the same name, and its endpoints: none of it is ours.
    const events = recorded('trace-two-replicas.jsonl').map((e) => {
      if (e.resource === 'pod') return { ...e, object: { ...e.object, metadata: { ...e.object.metadata, uid: 'other' } } } as TraceEvent;
      if (e.resource !== 'endpointslice') return e;
      const o = structuredClone(e.object);
      for (const ep of o.endpoints ?? []) if (ep.targetRef?.uid === POD.uid) ep.targetRef.uid = 'other';
      return { ...e, object: o } as TraceEvent;
    });
    const t = buildTimeline({ pod: POD, events });
    assert.equal(t.zeroAt, null);
    assert.equal(t.goneAt, null);
  });

  it('sees nothing before a deletion that never came', () => {
    const events = recorded('trace-two-replicas.jsonl').filter((e) => e.type === 'SYNC');
    const t = buildTimeline({ pod: POD, events });
    assert.equal(t.zeroAt, null);
    assert.deepEqual(t.entries, []);
    assert.equal(t.routableBefore, true);
  });
});

describe('stop timeline from a trace recorded on the real control plane (v1.36.3, kwok 0.8.0)', () => {
  const [head, ...lines] = readFileSync(fixture('stop', 'recorded-v1.36.3-kwok-delete.jsonl'), 'utf8').trim().split('\n');
  const meta = JSON.parse(head!) as { deletion: { sentAt: number; answeredAt: number }; pod: { namespace: string; name: string; uid: string } };
  const t = buildTimeline({ pod: meta.pod, events: lines.map((l) => JSON.parse(l) as TraceEvent), deletion: meta.deletion });

  it('puts the real sequence in order with offsets from the DELETE', () => {
    assert.deepEqual(
      t.entries.map((e) => [e.offsetMs, e.what.replace(/:.*$/, '')]),
      [
        [0, 'deletion requested (DELETE sent)'],
        [14, 'deletionTimestamp set'],
        [16, 'endpoint ready=false serving=true terminating=true (marked terminating)'],
        [16, 'endpoint no longer routable in any EndpointSlice'],
        [2741, 'deletion confirmed with grace 0 s (the node reports the containers stopped)'],
        [2748, 'pod gone from the API'],
        [2766, 'endpoint removed'],
      ],
    );
    assert.equal(t.droppedAt, meta.deletion.sentAt + 16);
  });

  it('keeps the recorded second of each change next to the observed millisecond', () => {
    for (const e of t.entries.filter((x) => x.recordedAt)) {
      const diff = Date.parse(e.at) - Date.parse(e.recordedAt!);
      assert.ok(diff >= 0 && diff < 1000, `${e.what}: ${e.at} vs ${e.recordedAt}`);
    }
  });
});

describe('stop timeline edge cases', () => {
  it('leaves out events listed before the deletion (Scheduled, Pulled) even when they are recent', () => {
    const killing = recorded('trace-two-replicas.jsonl').find((e) => e.resource === 'event')!;
    const scheduled = { ...killing, type: 'SYNC', observedAt: T0 - 40, object: { ...killing.object, reason: 'Scheduled', message: 'Successfully assigned shop/web-7d9f8b6c5-x2kqp to node-a', firstTimestamp: undefined, eventTime: new Date(T0 - 300) } } as TraceEvent;
    const t = buildTimeline({ pod: POD, events: [scheduled, ...recorded('trace-two-replicas.jsonl')], deletion: { sentAt: T0, answeredAt: T0 + 12 } });
    assert.ok(!t.entries.some((e) => e.what.startsWith('event Scheduled')));
    assert.ok(t.entries.some((e) => e.what.startsWith('event Killing')));
    assert.ok(t.entries.every((e) => e.offsetMs >= 0));
  });

  it('counts the initial list as the state before a DELETE sent in the same millisecond', () => {
    const events = recorded('trace-two-replicas.jsonl').map((e) => (e.type === 'SYNC' ? { ...e, observedAt: T0 } : e));
    const t = buildTimeline({ pod: POD, events, deletion: { sentAt: T0, answeredAt: T0 + 12 } });
    assert.equal(t.routableBefore, true);
    assert.equal(t.droppedAt, T0 + 31);
  });
});

describe('stop timeline across a watch gap', () => {
  it('marks every window in which a watch was not connected, before the deletion too', () => {
    const gaps = [
      { watch: 'pod' as const, from: T0 - 5000, to: T0 - 4000, relisted: false },
      { watch: 'EndpointSlice' as const, from: T0 + 1000, to: T0 + 3300, relisted: true },
    ];
    const t = buildTimeline({ pod: POD, events: recorded('trace-two-replicas.jsonl'), deletion: { sentAt: T0, answeredAt: T0 + 12 }, gaps });
    const marked = t.entries.filter((e) => e.what.includes('not connected'));
    assert.deepEqual(
      marked.map((e) => [e.offsetMs, e.object, e.what]),
      [
        [-5000, `Pod/${POD.name}`, 'pod watch not connected for 1000 ms: changes in this window are timed when podscope saw them'],
        [1000, 'EndpointSlice/*', 'EndpointSlice watch not connected for 2300 ms (resourceVersion expired: listed again): changes in this window are timed when podscope saw them'],
      ],
    );
    // The rest of the timeline is unchanged and still in order.
    assert.equal(t.entries.length, 12);
    for (let i = 1; i < t.entries.length; i++) assert.ok(t.entries[i]!.offsetMs >= t.entries[i - 1]!.offsetMs);
  });
});
