import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sendInCommands,
  statementsInFlight,
  STATEMENTS_IN_FLIGHT,
  STATEMENTS_PER_COMMAND,
} from '@wildduck/store';

test('operations go out in commands of at most STATEMENTS_PER_COMMAND, in order', async () => {
  const sent: number[][] = [];
  await sendInCommands(
    Array.from({ length: 21 }, (_, index) => index),
    async (chunk) => void sent.push(chunk),
  );
  assert.ok(sent.every((chunk) => chunk.length <= STATEMENTS_PER_COMMAND));
  assert.deepEqual(
    sent.flat(),
    Array.from({ length: 21 }, (_, index) => index),
  );
});

test('callers at once never have more than STATEMENTS_IN_FLIGHT statements open, and all finish', async () => {
  let open = 0;
  let most = 0;
  const send = async (chunk: number[]) => {
    open += chunk.length;
    most = Math.max(most, open);
    assert.ok(statementsInFlight() <= STATEMENTS_IN_FLIGHT);
    await new Promise((resolve) => setTimeout(resolve, 2));
    open -= chunk.length;
  };
  const callers = Array.from({ length: 10 }, (_, caller) =>
    sendInCommands(
      Array.from({ length: 30 + caller }, (_, index) => index),
      send,
    ),
  );
  await Promise.all(callers);
  assert.ok(most <= STATEMENTS_IN_FLIGHT, `${most} statements were open at once`);
  assert.ok(most > STATEMENTS_PER_COMMAND, 'callers did run side by side');
  assert.equal(statementsInFlight(), 0);
});

test('a failed command gives its room back and fails only its caller', async () => {
  const failing = sendInCommands([1, 2, 3], async () => {
    throw new Error('store refused');
  });
  await assert.rejects(failing, /store refused/);
  assert.equal(statementsInFlight(), 0);
  let sent = 0;
  await sendInCommands([1, 2, 3], async (chunk) => void (sent += chunk.length));
  assert.equal(sent, 3);
});
