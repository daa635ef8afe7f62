// The account alias: a name for the account that people sign in to the console with instead of
// its id, unique among the accounts of this Rampart. Kept in the store's settings both ways (the
// account's alias, the alias's account), written in one transaction.
// [U] The alias rules (3 to 32 lower-case letters, digits and '-', not at either end) are the
// console's; the code for an alias another account holds is ours.
import { ApiError } from '../../model/index.js';
import type { Repositories } from '../../store/index.js';
import { action } from '../action.js';
import { string } from '../params.js';
import { ramInvalid } from './errors.js';

const aliasOf = (accountId: string) => `ram.account-alias.${accountId}`;
const ownerOf = (alias: string) => `ram.alias-owner.${alias}`;

const alias = () =>
  string({ min: 3, max: 32, pattern: /^[a-z0-9][a-z0-9-]*[a-z0-9]$/, patternText: "lower-case letters, digits and '-', not first or last", invalid: ramInvalid });

/** The account an alias names, if any (settings hold '' for an alias let go of). */
export async function accountByAlias(repos: Repositories, name: string): Promise<string | undefined> {
  return (await repos.settings.get(ownerOf(name.toLowerCase()))) || undefined;
}

export async function accountAlias(repos: Repositories, accountId: string): Promise<string | undefined> {
  return (await repos.settings.get(aliasOf(accountId))) || undefined;
}

export const SetAccountAlias = action({
  name: 'SetAccountAlias',
  permission: 'ram:SetAccountAlias',
  rw: 'Write',
  params: { AccountAlias: alias() },
  handle: async (p, { caller, services }) => {
    await services.store.transaction(async (tx) => {
      const owner = await accountByAlias(tx, p.AccountAlias);
      if (owner !== undefined && owner !== caller.accountId) throw new ApiError('EntityAlreadyExists.AccountAlias', 'The account alias is already used by another account.', 409);
      const previous = await accountAlias(tx, caller.accountId);
      if (previous !== undefined && previous !== p.AccountAlias) await tx.settings.set(ownerOf(previous), '');
      await tx.settings.set(ownerOf(p.AccountAlias), caller.accountId);
      await tx.settings.set(aliasOf(caller.accountId), p.AccountAlias);
    });
    return {};
  },
});

export const GetAccountAlias = action({
  name: 'GetAccountAlias',
  permission: 'ram:GetAccountAlias',
  rw: 'Read',
  params: {},
  handle: async (_p, { caller, services }) => ({ AccountAlias: (await accountAlias(services.store, caller.accountId)) ?? '' }),
});

export const ClearAccountAlias = action({
  name: 'ClearAccountAlias',
  permission: 'ram:ClearAccountAlias',
  rw: 'Write',
  params: {},
  handle: async (_p, { caller, services }) => {
    await services.store.transaction(async (tx) => {
      const previous = await accountAlias(tx, caller.accountId);
      if (previous !== undefined) await tx.settings.set(ownerOf(previous), '');
      await tx.settings.set(aliasOf(caller.accountId), '');
    });
    return {};
  },
});
