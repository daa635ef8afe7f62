// Ids of RAM entities, in the real shapes: numeric user and role ids, g-… group ids.
import { randomInt } from 'node:crypto';
import { randomBase62 } from '../../model/index.js';

function digits(first: number, n: number): string {
  let s = String(first);
  while (s.length < n) s += String(randomInt(0, 10));
  return s;
}

export const newUserId = (): string => digits(randomInt(1, 10), 16);
export const newRoleId = (): string => digits(3, 19);
export const newGroupId = (): string => `g-${randomBase62(16)}`;
