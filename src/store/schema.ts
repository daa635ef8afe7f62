// Table shapes as the query layer sees them. Times are ISO-8601 UTC text, the one date form that
// SQLite and PostgreSQL both store and sort the same way.

export interface AccountsTable {
  account_id: string;
  created_at: string;
}

export interface AccessKeysTable {
  access_key_id: string;
  account_id: string;
  /** NULL for the account's root AccessKeys. */
  user_id: string | null;
  /** Sealed with the master key; never stored in clear. */
  secret_sealed: string;
  status: 'Active' | 'Inactive';
  created_at: string;
}

export interface SettingsTable {
  name: string;
  value: string;
}

export interface Database {
  accounts: AccountsTable;
  access_keys: AccessKeysTable;
  settings: SettingsTable;
}
