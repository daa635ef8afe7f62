// The account: its id and its alias (what people sign in with instead of the id), and its summary.
import { useEffect, useState } from 'preact/hooks';
import { call, type Identity } from '../api';
import { ErrorBox, Field, useAction } from '../components';

export function AccountPage({ identity }: { identity: Identity }) {
  const [alias, setAlias] = useState('');
  const [current, setCurrent] = useState('');
  const [summary, setSummary] = useState<Record<string, number>>({});
  const [error, busy, run] = useAction();
  const reload = async () => {
    const found = String((await call('ram', 'GetAccountAlias'))['AccountAlias'] ?? '');
    setCurrent(found);
    setAlias(found);
    setSummary(((await call('ram', 'GetAccountSummary'))['SummaryMap'] as Record<string, number> | undefined) ?? {});
  };
  useEffect(() => void run(reload), []);
  return (
    <section aria-labelledby="account-title">
      <h2 id="account-title">Account {identity.AccountId}</h2>
      <ErrorBox error={error} />
      <form
        class="inline"
        aria-label="Account alias"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await call('ram', 'SetAccountAlias', { AccountAlias: alias });
            await reload();
          });
        }}
      >
        <Field label="Alias">
          <input required value={alias} onInput={(e) => setAlias((e.target as HTMLInputElement).value)} />
        </Field>
        <button type="submit" disabled={busy}>
          Set alias
        </button>
        {current !== '' && (
          <button type="button" disabled={busy} onClick={() => void run(async () => {
            await call('ram', 'ClearAccountAlias');
            await reload();
          })}>
            Clear alias
          </button>
        )}
      </form>
      <p>{current === '' ? 'Users sign in with the account id.' : `Users sign in with "${current}" or the account id.`}</p>
      <dl class="denial">
        {Object.entries(summary).map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
      </dl>
    </section>
  );
}
