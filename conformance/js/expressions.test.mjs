// AWS SDK for JavaScript v3 with every expression kind (condition, filter, key condition,
// update, projection), through the low-level client and the document client.
// Run: DDB_ENDPOINT=http://127.0.0.1:8000 node --test expressions.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  DynamoDBClient, CreateTableCommand, DeleteTableCommand, PutItemCommand, UpdateItemCommand,
  ScanCommand, ConditionalCheckFailedException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, QueryCommand, UpdateCommand, DeleteCommand,
} from '@aws-sdk/lib-dynamodb';

const endpoint = process.env.DDB_ENDPOINT || 'http://127.0.0.1:8000';

const client = new DynamoDBClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  maxAttempts: 1,
});
const doc = DynamoDBDocumentClient.from(client);
const table = `jsx-${randomUUID().slice(0, 12)}`;

before(async () => {
  await client.send(new CreateTableCommand({
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
  for (let i = 0; i < 6; i++) {
    await doc.send(new PutCommand({
      TableName: table,
      Item: { pk: 'q', sk: i, parity: i % 2, doc: { list: [i, { deep: `d${i}` }] }, tags: new Set(['all', `t${i % 3}`]) },
    }));
  }
});

after(async () => {
  try { await client.send(new DeleteTableCommand({ TableName: table })); } catch { /* already gone */ }
  client.destroy();
});

test('condition expression passes and fails', async () => {
  await doc.send(new PutCommand({ TableName: table, Item: { pk: 'c', sk: 1, n: 5 } }));
  await doc.send(new PutCommand({
    TableName: table, Item: { pk: 'c', sk: 1, n: 6 },
    ConditionExpression: 'n IN (:a, :b) AND attribute_type(n, :t)',
    ExpressionAttributeValues: { ':a': 4, ':b': 5, ':t': 'N' },
  }));
  await assert.rejects(
    doc.send(new DeleteCommand({
      TableName: table, Key: { pk: 'c', sk: 1 },
      ConditionExpression: 'NOT (n > :v)', ExpressionAttributeValues: { ':v': 5 },
    })),
    (e) => e instanceof ConditionalCheckFailedException && e.message === 'The conditional request failed',
  );
});

test('condition failure returns the old item (ReturnValuesOnConditionCheckFailure)', async () => {
  await doc.send(new PutCommand({ TableName: table, Item: { pk: 'r', sk: 1, n: 1 } }));
  await assert.rejects(
    client.send(new UpdateItemCommand({
      TableName: table, Key: { pk: { S: 'r' }, sk: { N: '1' } },
      UpdateExpression: 'SET n = :v', ConditionExpression: 'n = :v',
      ExpressionAttributeValues: { ':v': { N: '2' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    })),
    (e) => {
      assert.ok(e instanceof ConditionalCheckFailedException);
      assert.deepEqual(e.Item, { pk: { S: 'r' }, sk: { N: '1' }, n: { N: '1' } });
      return true;
    },
  );
});

test('update expression with nested paths and ReturnValues', async () => {
  await doc.send(new PutCommand({ TableName: table, Item: { pk: 'u', sk: 1, m: { l: [1, 2] }, n: 1 } }));
  const r = await doc.send(new UpdateCommand({
    TableName: table, Key: { pk: 'u', sk: 1 },
    UpdateExpression: 'SET m.l[9] = :x, n = n + :d, c = if_not_exists(c, :z) REMOVE m.l[0] ADD s :s',
    ExpressionAttributeValues: { ':x': 'x', ':d': 0.25, ':z': 0, ':s': new Set(['a']) },
    ReturnValues: 'ALL_NEW',
  }));
  assert.deepEqual(r.Attributes.m, { l: [2, 'x'] });
  assert.equal(r.Attributes.n, 1.25);
  assert.equal(r.Attributes.c, 0);
  assert.deepEqual([...r.Attributes.s], ['a']);
});

test('update expression error', async () => {
  await assert.rejects(
    doc.send(new UpdateCommand({
      TableName: table, Key: { pk: 'u', sk: 2 },
      UpdateExpression: 'SET a.b = :v', ExpressionAttributeValues: { ':v': 1 },
    })),
    (e) => e.name === 'ValidationException'
      && e.message === 'The document path provided in the update expression is invalid for update',
  );
});

test('query with key condition, filter and projection', async () => {
  const r = await doc.send(new QueryCommand({
    TableName: table,
    KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi',
    FilterExpression: 'parity = :one AND begins_with(#d.#l[1].deep, :pre)',
    ProjectionExpression: 'sk, #d.#l[0]',
    ExpressionAttributeNames: { '#d': 'doc', '#l': 'list' },
    ExpressionAttributeValues: { ':p': 'q', ':lo': 1, ':hi': 4, ':one': 1, ':pre': 'd' },
  }));
  assert.deepEqual(r.Items, [{ sk: 1, doc: { list: [1] } }, { sk: 3, doc: { list: [3] } }]);
  assert.equal(r.ScannedCount, 4);
});

test('scan with a filter and get with a projection', async () => {
  const r = await client.send(new ScanCommand({
    TableName: table,
    FilterExpression: 'contains(tags, :t) AND size(tags) = :two',
    ExpressionAttributeValues: { ':t': { S: 't2' }, ':two': { N: '2' } },
  }));
  assert.deepEqual(r.Items.map((i) => i.sk.N).sort(), ['2', '5']);
  const g = await doc.send(new GetCommand({
    TableName: table, Key: { pk: 'q', sk: 4 }, ProjectionExpression: 'doc.#l[1].deep, parity',
    ExpressionAttributeNames: { '#l': 'list' },
  }));
  assert.deepEqual(g.Item, { doc: { list: [{ deep: 'd4' }] }, parity: 0 });
});

test('expression syntax error', async () => {
  await assert.rejects(
    client.send(new PutItemCommand({
      TableName: table, Item: { pk: { S: 'e' }, sk: { N: '1' } }, ConditionExpression: 'a = = :v',
      ExpressionAttributeValues: { ':v': { N: '1' } },
    })),
    (e) => e.name === 'ValidationException'
      && e.message === 'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"',
  );
});
