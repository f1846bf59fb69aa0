// node-redis and ioredis in their default modes (both open with HELLO 3 and speak RESP3) against
// one server: prints what each call returned, as JavaScript sees it, one JSON document.
//
// Exits non-zero if either client warned or printed an error, or an "error" event fired.
//
// Usage: node node.mjs PORT

import { createClient } from 'redis';
import { Redis } from 'ioredis';

const port = Number(process.argv[2]);
const problems = [];
for (const level of ['warn', 'error', 'log', 'info']) {
  console[level] = (...args) => problems.push(`console.${level}: ${args.join(' ')}`);
}
process.on('warning', (w) => problems.push(`process warning: ${w.name}: ${w.message}`));

/** A value as JavaScript holds it, types included (Buffer, Map, number, null …). */
function show(v) {
  if (v === null || v === undefined) return String(v);
  if (Buffer.isBuffer(v)) return `Buffer(${JSON.stringify(v.toString('latin1'))})`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return `${typeof v}(${String(v)})`;
  if (v instanceof Error) return `${v.constructor.name}: ${v.message}`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v instanceof Map) return `Map{${[...v].map(([k, x]) => `${show(k)} => ${show(x)}`).join(', ')}}`;
  if (v instanceof Set) return `Set{${[...v].map(show).join(', ')}}`;
  const name = Object.getPrototypeOf(v)?.constructor?.name ?? 'null-prototype';
  return `${name}{${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(', ')}}`;
}

async function steps(list) {
  const out = [];
  for (const [name, call] of list) {
    let value;
    try {
      value = await call();
    } catch (e) {
      value = e;
    }
    out.push([name, show(value)]);
  }
  return out;
}

/** HELLO's reply without the client id, which each server counts its own way. */
function withoutId(hello) {
  if (hello instanceof Map) hello.delete('id');
  else if (Array.isArray(hello)) hello.splice(hello.indexOf('id'), 2);
  else if (hello && typeof hello === 'object') delete hello.id;
  return hello;
}

async function nodeRedis() {
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  client.on('error', (e) => problems.push(`node-redis error event: ${e.message}`));
  await client.connect();
  const out = await steps([
    ['flushall', () => client.flushAll()],
    ['hello', async () => withoutId(await client.sendCommand(['HELLO']))],
    ['set', () => client.set('likes', '100')],
    ['incr', () => client.incr('likes')],
    ['incrby', () => client.incrBy('likes', 10)],
    ['incrbyfloat', () => client.incrByFloat('price', 0.1)],
    ['incrbyfloat again', () => client.incrByFloat('price', 0.2)],
    ['get', () => client.get('likes')],
    ['get missing', () => client.get('nothing')],
    ['set nx get', () => client.set('likes', '1', { NX: true, GET: true })],
    ['getdel', () => client.getDel('likes')],
    ['hset', () => client.hSet('user:1', { name: 'ada', visits: 1 })],
    ['hgetall', () => client.hGetAll('user:1')],
    ['hgetall missing', () => client.hGetAll('nothing')],
    ['hget', () => client.hGet('user:1', 'name')],
    ['hincrby', () => client.hIncrBy('user:1', 'visits', 2)],
    ['hincrbyfloat', () => client.hIncrByFloat('user:1', 'score', 1.5)],
    ['hexists', () => client.hExists('user:1', 'name')],
    ['hdel', () => client.hDel('user:1', 'name')],
    ['zadd', () => client.zAdd('board', [{ score: 10, value: 'ada' }, { score: 20.5, value: 'bob' }, { score: 0.1, value: 'cy' }])],
    ['zadd incr', () => client.zAddIncr('board', { score: 5, value: 'ada' })],
    ['zadd nx incr', () => client.zAddIncr('board', { score: 5, value: 'ada' }, { condition: 'NX' })],
    ['zincrby', () => client.zIncrBy('board', 2, 'bob')],
    ['zscore', () => client.zScore('board', 'cy')],
    ['zscore missing', () => client.zScore('board', 'nobody')],
    ['zrange', () => client.zRange('board', 0, -1)],
    ['zrange withscores', () => client.zRangeWithScores('board', 0, -1)],
    ['zrange withscores raw', () => client.sendCommand(['ZRANGE', 'board', '0', '-1', 'WITHSCORES'])],
    ['zrank', () => client.zRank('board', 'bob')],
    ['zrank missing', () => client.zRank('board', 'nobody')],
    ['zrem', () => client.zRem('board', 'cy')],
    ['exists', () => client.exists(['board', 'user:1', 'nothing'])],
    ['type', () => client.type('board')],
    ['expireat', () => client.expireAt('board', 4102444800)],
    ['expiretime', () => client.expireTime('board')],
    ['persist', () => client.persist('board')],
    ['wrong type', () => client.incr('board')],
    ['transaction', () => client.multi().incr('n').get('n').zScore('board', 'ada').hGetAll('user:1').exec()],
    ['watched transaction', async () => {
      await client.watch('w');
      const other = client.duplicate();
      other.on('error', (e) => problems.push(`node-redis error event: ${e.message}`));
      await other.connect();
      await other.set('w', 'changed');
      await other.close();
      return client.multi().get('w').exec();
    }],
    ['config get', () => client.configGet('save')],
    ['info keyspace', () => client.info('keyspace')],
    ['client setname', () => client.clientSetName('node')],
    ['client getname', () => client.clientGetName()],
    ['ping', () => client.ping()],
    ['dbsize', () => client.dbSize()],
  ]);
  await client.close();
  return out;
}

async function ioredis() {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  client.on('error', (e) => problems.push(`ioredis error event: ${e.message}`));
  await client.connect();
  const out = await steps([
    ['flushall', () => client.flushall()],
    ['hello', async () => withoutId(await client.call('HELLO'))],
    ['set', () => client.set('likes', '100')],
    ['incr', () => client.incr('likes')],
    ['incrbyfloat', () => client.incrbyfloat('price', 0.1)],
    ['get missing', () => client.get('nothing')],
    ['hset', () => client.hset('user:1', { name: 'ada', visits: 1 })],
    ['hgetall', () => client.hgetall('user:1')],
    ['hgetall missing', () => client.hgetall('nothing')],
    ['hincrbyfloat', () => client.hincrbyfloat('user:1', 'score', 1.5)],
    ['zadd', () => client.zadd('board', 10, 'ada', 20.5, 'bob', 0.1, 'cy')],
    ['zadd incr', () => client.zadd('board', 'INCR', 5, 'ada')],
    ['zadd nx incr', () => client.zadd('board', 'NX', 'INCR', 5, 'ada')],
    ['zincrby', () => client.zincrby('board', 2, 'bob')],
    ['zscore', () => client.zscore('board', 'cy')],
    ['zscore missing', () => client.zscore('board', 'nobody')],
    ['zrange withscores', () => client.zrange('board', 0, -1, 'WITHSCORES')],
    ['zrevrange withscores', () => client.zrevrange('board', 0, 1, 'WITHSCORES')],
    ['zrank', () => client.zrank('board', 'bob')],
    ['wrong type', () => client.incr('board')],
    ['transaction', () => client.multi().incr('n').get('n').zscore('board', 'ada').hgetall('user:1').exec()],
    ['watched transaction', async () => {
      await client.watch('w');
      const other = client.duplicate();
      await other.set('w', 'changed');
      other.disconnect();
      return client.multi().get('w').exec();
    }],
    ['config get', () => client.config('GET', 'save')],
    ['info keyspace', () => client.info('keyspace')],
    ['client setname', () => client.client('SETNAME', 'io')],
    ['client getname', () => client.client('GETNAME')],
    ['ping', () => client.ping()],
  ]);
  client.disconnect();
  return out;
}

const results = { 'node-redis': await nodeRedis(), ioredis: await ioredis() };
process.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
for (const problem of problems) process.stderr.write(`${problem}\n`);
process.exit(problems.length ? 1 : 0);
