// Sign-in: the account root with one of its AccessKeys, or a RAM user with its password.
import { useState } from 'preact/hooks';
import { ApiFailure, signIn, type Session } from '../api';
import { ErrorBox, Field, useAction } from '../components';

export function SignInPage({ onSignedIn, ended = false }: { onSignedIn: (s: Session) => void; ended?: boolean }) {
  const [kind, setKind] = useState<'user' | 'root'>('user');
  const [form, setForm] = useState<Record<string, string>>({});
  const [error, busy, run] = useAction();
  // The password was right and the user has an MFA device: the same form asks for its code.
  const [mfa, setMfa] = useState(false);
  const input = (name: string, secret = false, autocomplete = 'off') => {
    const common = { name, autocomplete, required: true, value: form[name] ?? '', onInput: (e: Event) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value }) };
    return secret ? <input type="password" {...common} /> : <input type="text" {...common} />;
  };
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const session =
        kind === 'root'
          ? await signIn({ Kind: 'root', AccessKeyId: form['AccessKeyId'] ?? '', AccessKeySecret: form['AccessKeySecret'] ?? '' })
          : await signIn({ Kind: 'user', Account: form['Account'] ?? '', UserName: form['UserName'] ?? '', Password: form['Password'] ?? '', ...(mfa ? { MFACode: form['MFACode'] ?? '' } : {}) }).catch((e: unknown) => {
              if (e instanceof ApiFailure && e.code === 'SignIn.MFARequired') setMfa(true);
              throw e;
            });
      setForm({});
      onSignedIn(session);
    });
  };
  return (
    <main class="signin">
      <h1>Rampart console</h1>
      {ended && <p role="status">Your session has ended. Sign in again to go on.</p>}
      <div role="tablist" aria-label="Sign in as">
        <button type="button" role="tab" aria-selected={kind === 'user'} onClick={() => setKind('user')}>
          RAM user
        </button>
        <button type="button" role="tab" aria-selected={kind === 'root'} onClick={() => setKind('root')}>
          Account root (AccessKey)
        </button>
      </div>
      <form onSubmit={submit} aria-label="Sign in">
        {kind === 'user' ? (
          <>
            <Field label="Account alias or ID">{input('Account')}</Field>
            <Field label="User name">{input('UserName', false, 'username')}</Field>
            <Field label="Password">{input('Password', true, 'current-password')}</Field>
            {mfa && <Field label="MFA code">{input('MFACode', false, 'one-time-code')}</Field>}
          </>
        ) : (
          <>
            <Field label="AccessKey ID">{input('AccessKeyId')}</Field>
            <Field label="AccessKey secret">{input('AccessKeySecret', true)}</Field>
          </>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <ErrorBox error={error} />
    </main>
  );
}
