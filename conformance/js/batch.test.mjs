// BatchWriteItem / BatchGetItem through the DocumentClient (AWS SDK for JavaScript v3).
// Run: DDB_ENDPOINT=http://127.0.0.1:8000 node --test batch.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient, BatchWriteCommand, BatchGetCommand, GetCommand,
} from '@aws-sdk/lib-dynamodb';

const endpoint = process.env.DDB_ENDPOINT || 'http://127.0.0.1:8000';

const client = new DynamoDBClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  maxAttempts: 1,
});
const doc = DynamoDBDocumentClient.from(client);
const tables = [`jsb-${randomUUID().slice(0, 12)}`, `jsb-${randomUUID().slice(0, 12)}`];

before(async () => {
  for (const t of tables) {
    await client.send(new CreateTableCommand({
      TableName: t,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
  }
});

after(async () => {
  for (const t of tables) {
    try { await client.send(new DeleteTableCommand({ TableName: t })); } catch { /* gone */ }
  }
  client.destroy();
});

test('BatchWriteCommand puts and deletes across tables', async () => {
  const [a, b] = tables;
  const puts = Array.from({ length: 20 }, (_, i) => ({
    PutRequest: { Item: { id: `i${i}`, n: i, tags: new Set(['x', `t${i}`]), m: { deep: [i, 'v'] } } },
  }));
  const r = await doc.send(new BatchWriteCommand({
    RequestItems: { [a]: puts, [b]: [{ PutRequest: { Item: { id: 'only', ok: true } } }] },
  }));
  assert.deepEqual(r.UnprocessedItems, {});
  const r2 = await doc.send(new BatchWriteCommand({
    RequestItems: { [a]: [{ DeleteRequest: { Key: { id: 'i0' } } }] },
  }));
  assert.deepEqual(r2.UnprocessedItems, {});
  assert.equal((await doc.send(new GetCommand({ TableName: a, Key: { id: 'i0' } }))).Item, undefined);
  const got = await doc.send(new GetCommand({ TableName: a, Key: { id: 'i7' } }));
  assert.deepEqual(got.Item, { id: 'i7', n: 7, tags: new Set(['x', 't7']), m: { deep: [7, 'v'] } });
});

test('BatchGetCommand reads across tables with a projection', async () => {
  const [a, b] = tables;
  const r = await doc.send(new BatchGetCommand({
    RequestItems: {
      [a]: { Keys: [{ id: 'i1' }, { id: 'i2' }, { id: 'missing' }], ProjectionExpression: 'id, #n', ExpressionAttributeNames: { '#n': 'n' } },
      [b]: { Keys: [{ id: 'only' }], ConsistentRead: true },
    },
  }));
  assert.deepEqual(r.UnprocessedKeys, {});
  const items = r.Responses[a].sort((x, y) => x.id.localeCompare(y.id));
  assert.deepEqual(items, [{ id: 'i1', n: 1 }, { id: 'i2', n: 2 }]);
  assert.deepEqual(r.Responses[b], [{ id: 'only', ok: true }]);
});

test('BatchWriteCommand over 25 requests is refused', async () => {
  const puts = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { id: `z${i}` } } }));
  await assert.rejects(
    doc.send(new BatchWriteCommand({ RequestItems: { [tables[0]]: puts } })),
    (e) => e.name === 'ValidationException' &&
      e.message === 'Too many items requested for the BatchWriteItem call',
  );
});

test('BatchGetCommand with duplicate keys is refused', async () => {
  await assert.rejects(
    doc.send(new BatchGetCommand({ RequestItems: { [tables[0]]: { Keys: [{ id: 'a' }, { id: 'a' }] } } })),
    (e) => e.name === 'ValidationException' &&
      e.message === 'Provided list of item keys contains duplicates',
  );
});
