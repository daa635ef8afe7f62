// A RAM user's own password (RAM ChangePassword). A login profile made with PasswordResetRequired
// brings the user here first, and nothing else works until the new password is set.
import { useState } from 'preact/hooks';
import { call } from '../api';
import { ErrorBox, Field, useAction } from '../components';

export function ChangePasswordPage({ required, onChanged }: { required: boolean; onChanged: () => void }) {
  const [form, setForm] = useState({ old: '', next: '', again: '' });
  const [done, setDone] = useState(false);
  const [error, busy, run] = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (form.next !== form.again) throw new Error('The new password and its repetition differ.');
      await call('ram', 'ChangePassword', { OldPassword: form.old, NewPassword: form.next });
      setForm({ old: '', next: '', again: '' });
      setDone(true);
      onChanged();
    });
  };
  const field = (name: 'old' | 'next' | 'again', label: string, autocomplete: string) => (
    <Field label={label}>
      <input type="password" required autocomplete={autocomplete} value={form[name]} onInput={(e) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value })} />
    </Field>
  );
  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      {required && <p role="status">Your administrator asks you to choose a new password before you go on.</p>}
      <form onSubmit={submit} aria-label="Change password">
        {field('old', 'Current password', 'current-password')}
        {field('next', 'New password', 'new-password')}
        {field('again', 'New password again', 'new-password')}
        <button type="submit" disabled={busy}>
          Change password
        </button>
      </form>
      {done && <p role="status">Your password has been changed.</p>}
      <ErrorBox error={error} />
    </section>
  );
}
