// Configuration of the database connections: the optional read replica for statistics.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.js';

const env = { NODE_ENV: 'test', SECRET_KEY: '00'.repeat(32) };
const PRIMARY = 'postgresql://app@db/educonnect';
const REPLICA = 'postgresql://app@db-replica/educonnect';

describe('DATABASE_REPLICA_URL', () => {
  it.each([
    [
      'not a PostgreSQL URL',
      { DATABASE_URL: PRIMARY, DATABASE_REPLICA_URL: 'mysql://db-replica/educonnect' },
      /DATABASE_REPLICA_URL: must be a postgresql:\/\/ URL/,
    ],
    [
      'without DATABASE_URL (embedded database)',
      { DATABASE_REPLICA_URL: REPLICA },
      /DATABASE_REPLICA_URL: needs DATABASE_URL \(the embedded database has no replica\)/,
    ],
    ['a pool of 0', { DATABASE_URL: PRIMARY, DATABASE_REPLICA_URL: REPLICA, DATABASE_REPLICA_POOL_SIZE: '0' }, /DATABASE_REPLICA_POOL_SIZE/],
    ['a pool that is not a number', { DATABASE_URL: PRIMARY, DATABASE_REPLICA_URL: REPLICA, DATABASE_REPLICA_POOL_SIZE: 'some' }, /DATABASE_REPLICA_POOL_SIZE/],
  ])('stops the start with a clear message: %s', (_case, vars, message) => {
    expect(() => loadConfig({ ...env, ...vars })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, ...vars })).toThrow(message);
  });

  it.each([
    ['absent: everything on the primary', { DATABASE_URL: PRIMARY }, undefined],
    ['a quarter of the primary pool by default', { DATABASE_URL: PRIMARY, DATABASE_REPLICA_URL: REPLICA }, { url: REPLICA, poolSize: 3 }],
    ['at least 2 connections', { DATABASE_URL: PRIMARY, DATABASE_POOL_SIZE: '4', DATABASE_REPLICA_URL: REPLICA }, { url: REPLICA, poolSize: 2 }],
    ['its own pool size', { DATABASE_URL: PRIMARY, DATABASE_REPLICA_URL: REPLICA, DATABASE_REPLICA_POOL_SIZE: '7' }, { url: REPLICA, poolSize: 7 }],
  ])('reads %s', (_case, vars, replica) => {
    expect(loadConfig({ ...env, ...vars }).databaseReplica).toEqual(replica);
  });
});

describe('BOT_PROCESSES', () => {
  it('is 1 by default, and a number of processes on a real PostgreSQL', () => {
    expect(loadConfig({ ...env, DATABASE_URL: PRIMARY }).processes).toBe(1);
    expect(loadConfig({ ...env, DATABASE_URL: PRIMARY, BOT_PROCESSES: '2' }).processes).toBe(2);
  });

  it.each([
    ['without DATABASE_URL (embedded database)', { BOT_PROCESSES: '2' }, /BOT_PROCESSES: more than 1 needs DATABASE_URL/],
    ['0 processes', { DATABASE_URL: PRIMARY, BOT_PROCESSES: '0' }, /BOT_PROCESSES/],
    ['not a whole number', { DATABASE_URL: PRIMARY, BOT_PROCESSES: '1.5' }, /BOT_PROCESSES/],
  ])('stops the start with a clear message: %s', (_case, vars, message) => {
    expect(() => loadConfig({ ...env, ...vars })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, ...vars })).toThrow(message);
  });
});
