// A user's console login: creating it with a first password (and whether it must be changed at
// the first sign-in), changing those, deleting it. Passwords go to the API and nowhere else.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, call } from './api';
import { ErrorBox, Field, useAction } from './components';

interface Profile {
  PasswordResetRequired: boolean;
  MFABindRequired: boolean;
  CreateDate: string;
}

export function LoginProfile({ userName }: { userName: string }) {
  const [profile, setProfile] = useState<Profile | undefined>();
  const [password, setPassword] = useState('');
  const [reset, setReset] = useState(true);
  const [note, setNote] = useState('');
  const [error, busy, run] = useAction();
  const reload = async () => {
    try {
      setProfile((await call('ram', 'GetLoginProfile', { UserName: userName }))['LoginProfile'] as Profile);
    } catch (e) {
      if (!(e instanceof ApiFailure && e.code === 'EntityNotExist.User.LoginProfile')) throw e;
      setProfile(undefined);
    }
  };
  useEffect(() => void run(reload), [userName]);
  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const action = profile ? 'UpdateLoginProfile' : 'CreateLoginProfile';
      await call('ram', action, { UserName: userName, Password: password, PasswordResetRequired: String(reset) });
      setPassword('');
      setNote(profile ? 'The console login was changed.' : 'The user may now sign in to the console.');
      await reload();
    });
  };
  return (
    <section aria-label="Console login">
      <h3>Console login</h3>
      <ErrorBox error={error} />
      <p>{profile ? `Enabled since ${profile.CreateDate}${profile.PasswordResetRequired ? '; a new password is due at the next sign-in' : ''}.` : 'Not enabled: the user cannot sign in to the console.'}</p>
      <form class="inline" onSubmit={save} aria-label={profile ? 'Change console login' : 'Enable console login'}>
        <Field label={profile ? 'New password (empty: keep)' : 'Password'}>
          <input type="password" autocomplete="new-password" required={!profile} value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </Field>
        <label class="check">
          <input type="checkbox" checked={reset} onChange={(e) => setReset((e.target as HTMLInputElement).checked)} /> Must change the password at the next sign-in
        </label>
        <button type="submit" disabled={busy}>
          {profile ? 'Save' : 'Enable console login'}
        </button>
      </form>
      {profile && (
        <button type="button" disabled={busy} onClick={() => void run(async () => {
          await call('ram', 'DeleteLoginProfile', { UserName: userName });
          setNote('Console login disabled.');
          await reload();
        })}>
          Disable console login
        </button>
      )}
      <p role="status">{note}</p>
    </section>
  );
}
