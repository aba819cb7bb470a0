// AWS SDK for JavaScript v3 against the server under test.
// Run: DDB_ENDPOINT=http://127.0.0.1:8000 node --test basic.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  DynamoDBClient, CreateTableCommand, DeleteTableCommand, DescribeTableCommand, GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, QueryCommand, UpdateCommand, DeleteCommand,
} from '@aws-sdk/lib-dynamodb';

const endpoint = process.env.DDB_ENDPOINT || 'http://127.0.0.1:8000';
const reference = !['', '0', undefined].includes(process.env.DDB_REFERENCE);

const client = new DynamoDBClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  maxAttempts: 1,
});
const doc = DynamoDBDocumentClient.from(client);
const table = `js-${randomUUID().slice(0, 12)}`;

before(async () => {
  const r = await client.send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  }));
  assert.equal(r.TableDescription.TableName, table);
  assert.ok(['CREATING', 'ACTIVE'].includes(r.TableDescription.TableStatus));
});

after(async () => {
  try { await client.send(new DeleteTableCommand({ TableName: table })); } catch { /* already gone */ }
  client.destroy();
});

test('describe table after create', async () => {
  const r = await client.send(new DescribeTableCommand({ TableName: table }));
  assert.equal(r.Table.TableName, table);
  assert.equal(r.Table.TableStatus, 'ACTIVE');
  assert.deepEqual(r.Table.KeySchema, [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ]);
});

test('put and get through the DocumentClient', async () => {
  const item = {
    pk: 'user#1', sk: 1, name: 'Ada', age: 36, active: true, nothing: null,
    tags: new Set(['a', 'b']), scores: [1, 2.5, 'x'], nested: { deep: { n: -7 } },
    bytes: new Uint8Array([0, 1, 255]),
  };
  await doc.send(new PutCommand({ TableName: table, Item: item }));
  const r = await doc.send(new GetCommand({ TableName: table, Key: { pk: 'user#1', sk: 1 } }));
  assert.equal(r.Item.name, 'Ada');
  assert.equal(r.Item.age, 36);
  assert.equal(r.Item.active, true);
  assert.equal(r.Item.nothing, null);
  assert.deepEqual([...r.Item.tags].sort(), ['a', 'b']);
  assert.deepEqual(r.Item.scores, [1, 2.5, 'x']);
  assert.deepEqual(r.Item.nested, { deep: { n: -7 } });
  assert.deepEqual([...r.Item.bytes], [0, 1, 255]);
});

test('get of a missing item has no Item', async () => {
  const r = await doc.send(new GetCommand({ TableName: table, Key: { pk: 'nobody', sk: 0 } }));
  assert.equal(r.Item, undefined);
});

test('query with a range condition, both directions', async () => {
  for (let i = 0; i < 6; i++) {
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'q', sk: i, v: `v${i}` } }));
  }
  const up = await doc.send(new QueryCommand({
    TableName: table,
    KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
    ExpressionAttributeValues: { ':p': 'q', ':a': 1, ':b': 4 },
  }));
  assert.deepEqual(up.Items.map((x) => x.sk), [1, 2, 3, 4]);
  assert.equal(up.Count, 4);
  const down = await doc.send(new QueryCommand({
    TableName: table,
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': 'q' },
    ScanIndexForward: false,
    Limit: 2,
  }));
  assert.deepEqual(down.Items.map((x) => x.sk), [5, 4]);
  assert.deepEqual(down.LastEvaluatedKey, { pk: 'q', sk: 4 });
});

test('update and delete through the DocumentClient', async () => {
  const r = await doc.send(new UpdateCommand({
    TableName: table,
    Key: { pk: 'u', sk: 1 },
    UpdateExpression: 'SET #c = :c',
    ExpressionAttributeNames: { '#c': 'count' },
    ExpressionAttributeValues: { ':c': 10 },
    ReturnValues: 'ALL_NEW',
  }));
  assert.deepEqual(r.Attributes, { pk: 'u', sk: 1, count: 10 });
  const d = await doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'u', sk: 1 }, ReturnValues: 'ALL_OLD' }));
  assert.deepEqual(d.Attributes, { pk: 'u', sk: 1, count: 10 });
});

test('conditional check failure has the right name and message', async () => {
  await doc.send(new PutCommand({ TableName: table, Item: { pk: 'c', sk: 1 } }));
  await assert.rejects(
    doc.send(new PutCommand({
      TableName: table, Item: { pk: 'c', sk: 1 }, ConditionExpression: 'attribute_not_exists(pk)',
    })),
    (err) => {
      assert.equal(err.name, 'ConditionalCheckFailedException');
      assert.equal(err.message, 'The conditional request failed');
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    },
  );
});

test('validation error has the right name and message', async () => {
  await assert.rejects(
    client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'x' } } })),
    (err) => {
      assert.equal(err.name, 'ValidationException');
      assert.equal(err.message, reference
        ? 'The number of conditions on the keys is invalid'
        : 'The provided key element does not match the schema');
      return true;
    },
  );
});

test('missing table error has the right name', async () => {
  const name = `js-missing-${randomUUID().slice(0, 8)}`;
  await assert.rejects(
    client.send(new DescribeTableCommand({ TableName: name })),
    (err) => {
      assert.equal(err.name, 'ResourceNotFoundException');
      assert.equal(err.message, reference
        ? 'Cannot do operations on a non-existent table'
        : `Requested resource not found: Table: ${name} not found`);
      return true;
    },
  );
});

test('delete table', async () => {
  const name = `js-del-${randomUUID().slice(0, 8)}`;
  await client.send(new CreateTableCommand({
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  }));
  const r = await client.send(new DeleteTableCommand({ TableName: name }));
  assert.equal(r.TableDescription.TableName, name);
  await assert.rejects(client.send(new DescribeTableCommand({ TableName: name })),
    (err) => err.name === 'ResourceNotFoundException');
});
